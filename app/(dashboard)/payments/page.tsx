import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { DataTable } from "@/components/data-table";
import { EmptyState, PageHeader } from "@/components/page-header";
import { PaymentsFilters } from "@/components/payments-filters";
import { StatusBadge } from "@/components/payments-status-badge";
import { TimeStamp } from "@/components/time-stamp";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { localeFromAcceptLanguage, methodLabel, money } from "@/lib/dashboard/format";
import { listDashboardPayments } from "@/lib/dashboard/list-payments";
import { parsePaymentsFilter } from "@/lib/dashboard/payments-query";

export const metadata: Metadata = { title: "Payments" };
export const dynamic = "force-dynamic";

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, params, requestHeaders] = await Promise.all([getDashboardUser(), searchParams, headers()]);
  if (!user) redirect("/sign-in"); // the layout redirects too; pages render alongside it
  const filter = parsePaymentsFilter(params);
  const locale = localeFromAcceptLanguage(requestHeaders.get("accept-language"));
  const page = await listDashboardPayments(user!.merchantId, filter);
  const { cursor: _cursor, ...withoutCursor } = filter;
  const base = { ...withoutCursor, sort: filter.sort === "newest" ? undefined : filter.sort };
  const filtered = Boolean(filter.q || filter.status || filter.currency || filter.method || filter.from || filter.to);
  return (
    <>
      <PageHeader
        title="Payments"
        description="Every payment, newest first. Search by payment id, customer email, card last 4 or amount."
        actions={
          <div className="flex gap-2">
            {can(user!.role, "refund") && (
              <Link href="/refunds" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">Refunds</Link>
            )}
            <a href={`/api/dashboard/payments/export${query(base)}`} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700" download>
              Export CSV
            </a>
          </div>
        }
      />
      <PaymentsFilters filter={filter} />
      {page.rows.length === 0 ? (
        <EmptyState title={filtered ? "No payments match these filters" : "No payments yet"}>
          {filtered ? <Link href="/payments" className="font-medium text-brand-700 underline">Clear the filters</Link> : "Payments appear here as soon as customers pay through checkout or the API."}
        </EmptyState>
      ) : (
        <DataTable
          label="Payments (scrollable)"
          caption="Payments"
          testId="payments-table"
          columns={[{ label: "Amount", align: "right" }, { label: "Status" }, { label: "Method" }, { label: "Customer" }, { label: "Created" }, { label: "Payment" }]}
        >
            <tbody className="divide-y divide-slate-100">
              {page.rows.map((row) => (
                <tr key={row.id} className="hover:bg-slate-50">
                  <td className="whitespace-nowrap px-4 py-2 text-right font-medium tabular-nums">
                    {money(row.amountMinor, row.currency, locale)}
                    {row.amountRefundedMinor !== "0" && <span className="block text-xs font-normal text-slate-600">{money(row.amountRefundedMinor, row.currency, locale)} refunded</span>}
                  </td>
                  <td className="px-4 py-2"><StatusBadge status={row.status} /></td>
                  <td className="whitespace-nowrap px-4 py-2">{methodLabel(row.methodType, row.brand, row.last4)}</td>
                  <td className="px-4 py-2 font-mono text-xs">{row.customerId ?? "—"}</td>
                  <td className="whitespace-nowrap px-4 py-2"><TimeStamp iso={row.created} /></td>
                  <td className="px-4 py-2"><Link href={`/payments/${row.id}`} className="font-mono text-xs text-brand-700 underline">{row.id}</Link></td>
                </tr>
              ))}
            </tbody>
        </DataTable>
      )}
      <nav aria-label="Pagination" className="mt-4 flex justify-between text-sm">
        {filter.cursor ? <Link href={`/payments${query(base)}`} className="font-medium text-brand-700 underline">First page</Link> : <span />}
        {page.nextCursor && (
          <Link href={`/payments${query({ ...base, cursor: page.nextCursor })}`} className="font-medium text-brand-700 underline" data-testid="payments-next">Next page</Link>
        )}
      </nav>
    </>
  );
}
