import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CustomerDetails } from "@/components/customer-details";
import { CustomerGdprActions } from "@/components/customer-gdpr-actions";
import { PageHeader } from "@/components/page-header";
import { AppError } from "@/lib/api/errors";
import { can, hasRole } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { userActorFromHeaders } from "@/lib/compliance/request-actor";
import { readCustomer } from "@/lib/customers/get-customer";

export const metadata: Metadata = { title: "Customer" };
export const dynamic = "force-dynamic";

export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = (await getDashboardUser())!;
  const masked = !hasRole(user.role, "staff");
  const customer = await readCustomer({ merchantId: user.merchantId, customerId: id, actor: userActorFromHeaders(user.id, await headers()), masked, via: "dashboard" }).catch(
    (error) => {
      if (error instanceof AppError && error.code === "resource_missing") notFound();
      throw error;
    },
  );
  return (
    <>
      <p className="mb-2 text-sm"><Link href="/customers" className="text-brand-700 underline">← Customers</Link></p>
      <PageHeader title={customer.erased ? "Erased customer" : (customer.name ?? customer.email ?? customer.id)} description={`Customer ${customer.id}`} />
      {customer.erased && <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">This customer&apos;s personal data was erased. The id remains so payments and balances stay intact.</p>}
      {masked && <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">Your role (viewer) sees personal data masked.</p>}
      <CustomerDetails customer={customer} />
      {can(user.role, "reviewCompliance") && <CustomerGdprActions customerId={customer.id} erased={customer.erased} />}
    </>
  );
}
