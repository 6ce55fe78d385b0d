import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { DisputeEvidenceForm } from "@/components/dispute-evidence-form";
import { EmptyState, PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/payments-status-badge";
import { TimeStamp } from "@/components/time-stamp";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { humanize, localeFromAcceptLanguage, money } from "@/lib/dashboard/format";
import { listDisputesView } from "@/lib/dashboard/list-disputes";

export const metadata: Metadata = { title: "Disputes" };
export const dynamic = "force-dynamic";

const DAY_MS = 86_400_000;

export default async function DisputesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, params, requestHeaders] = await Promise.all([getDashboardUser(), searchParams, headers()]);
  if (!user) redirect("/sign-in"); // the layout redirects too; pages render alongside it
  const locale = localeFromAcceptLanguage(requestHeaders.get("accept-language"));
  const after = Array.isArray(params.after) ? params.after[0] : params.after;
  const disputes = await listDisputesView(user!.merchantId, { after });
  const canRespond = can(user!.role, "refund");
  const now = Date.now();
  return (
    <>
      <PageHeader title="Disputes" description="Chargebacks your customers' banks opened. Answer before the due date with evidence; the card network decides." />
      <section aria-labelledby="open-heading" className="mb-6">
        <h2 id="open-heading" className="mb-2 text-sm font-semibold text-slate-900">Needs a response</h2>
        {disputes.open.length === 0 ? <EmptyState title="No disputes need a response" /> : (
          <ul className="space-y-4">
            {disputes.open.map((d) => {
              const dueMs = d.evidenceDueBy ? new Date(d.evidenceDueBy).getTime() - now : null;
              const urgent = dueMs !== null && dueMs < 3 * DAY_MS;
              return (
                <li key={d.id} id={d.id} className="rounded-xl border border-slate-200 bg-white p-5" data-testid={`dispute-${d.id}`}>
                  <div className="flex flex-wrap items-center gap-3">
                    <span className="text-lg font-semibold tabular-nums">{money(d.amountMinor, d.currency, locale)}</span>
                    <StatusBadge status={d.status} />
                    <span className="text-sm text-slate-700">{humanize(d.reason)}</span>
                    <Link href={`/payments/${d.paymentId}`} className="font-mono text-xs text-brand-700 underline">{d.paymentId}</Link>
                  </div>
                  <p className={`mt-1 text-sm ${urgent ? "font-semibold text-red-700" : "text-slate-700"}`}>
                    {d.evidenceDueBy ? <>Evidence due <TimeStamp iso={d.evidenceDueBy} />{urgent ? " — soon" : ""}</> : "No due date given"}
                  </p>
                  {canRespond ? (
                    <details className="mt-2">
                      <summary className="cursor-pointer text-sm font-medium text-brand-700">Add evidence</summary>
                      <DisputeEvidenceForm disputeId={d.id} initial={d.evidence} />
                    </details>
                  ) : <p className="mt-2 text-sm text-slate-600">An admin can respond to this dispute.</p>}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section aria-labelledby="closed-heading">
        <h2 id="closed-heading" className="mb-2 text-sm font-semibold text-slate-900">Under review and closed</h2>
        {disputes.closed.length === 0 ? <EmptyState title="No other disputes" /> : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">Disputes under review or closed</caption>
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600"><tr><th scope="col" className="px-4 py-2 text-right">Amount</th><th scope="col" className="px-4 py-2">Status</th><th scope="col" className="px-4 py-2">Reason</th><th scope="col" className="px-4 py-2">Payment</th><th scope="col" className="px-4 py-2">Opened</th></tr></thead>
              <tbody className="divide-y divide-slate-100">
                {disputes.closed.map((d) => (
                  <tr key={d.id} id={d.id}>
                    <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums">{money(d.amountMinor, d.currency, locale)}</td>
                    <td className="px-4 py-2"><StatusBadge status={d.status} /></td>
                    <td className="px-4 py-2">{humanize(d.reason)}</td>
                    <td className="px-4 py-2"><Link href={`/payments/${d.paymentId}`} className="font-mono text-xs text-brand-700 underline">{d.paymentId}</Link></td>
                    <td className="whitespace-nowrap px-4 py-2"><TimeStamp iso={d.created} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {disputes.nextCursor && <Link href={`/disputes?after=${disputes.nextCursor}`} className="mt-2 inline-block text-sm font-medium text-brand-700 underline">Older disputes</Link>}
      </section>
    </>
  );
}
