import type { Metadata } from "next";
import { headers } from "next/headers";
import { CustomerSearch, CustomerTable } from "@/components/customer-table";
import { PageHeader } from "@/components/page-header";
import { hasRole } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { userActorFromHeaders } from "@/lib/compliance/request-actor";
import { ZListCustomersQuery } from "@/lib/customers/customer.types";
import { listCustomers } from "@/lib/customers/list-customers";

export const metadata: Metadata = { title: "Customers" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CustomersPage({ searchParams }: { searchParams: SearchParams }) {
  const user = (await getDashboardUser())!;
  const raw = await searchParams;
  const email = typeof raw.email === "string" ? raw.email.trim() : "";
  const startingAfter = typeof raw.starting_after === "string" ? raw.starting_after : undefined;
  const parsed = ZListCustomersQuery.safeParse({ limit: "25", ...(email ? { email } : {}), ...(startingAfter ? { starting_after: startingAfter } : {}) });
  const masked = !hasRole(user.role, "staff");
  const list = parsed.success
    ? await listCustomers({ merchantId: user.merchantId, actor: userActorFromHeaders(user.id, await headers()), query: parsed.data, masked, via: "dashboard" })
    : null;
  const last = list?.data.at(-1);
  return (
    <>
      <PageHeader title="Customers" description="Personal data is stored encrypted, one key per customer; searching by email uses a keyed blind index, and every view is recorded in the audit log." />
      {masked && <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">Your role (viewer) sees personal data masked.</p>}
      <CustomerSearch email={email} />
      {!parsed.success && <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">Enter a complete email address to search.</p>}
      {list && <CustomerTable customers={list.data} nextHref={list.has_more && last ? `/customers?${new URLSearchParams({ ...(email ? { email } : {}), starting_after: last.id })}` : null} />}
    </>
  );
}
