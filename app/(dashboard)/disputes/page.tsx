import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { DisputeEvidenceForm } from "@/components/dispute-evidence-form";
import { DisputeEvidenceUpload } from "@/components/dispute-evidence-upload";
import { EmptyState, PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/payments-status-badge";
import { TimeStamp } from "@/components/time-stamp";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { humanize, localeFromAcceptLanguage, money } from "@/lib/dashboard/format";
import { describeEvidenceDue } from "@/lib/disputes/evidence-due";
import { EVIDENCE_FILES_MAX_BYTES } from "@/lib/disputes/evidence-file.types";
import { listDisputesView } from "@/lib/dashboard/list-disputes";

export const metadata: Metadata = { title: "Disputes" };
export const dynamic = "force-dynamic";

const DUE_STYLE = {
  past_due: "bg-red-700 text-white",
  urgent: "bg-red-100 text-red-900 ring-1 ring-red-300",
  soon: "bg-amber-100 text-amber-950 ring-1 ring-amber-300",
  normal: "bg-slate-100 text-slate-900 ring-1 ring-slate-300",
  none: "bg-slate-100 text-slate-700",
} as const;

function formatSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

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
              const due = describeEvidenceDue(d.evidenceDueBy, now);
              return (
                <li key={d.id} id={d.id} className="rounded-xl border border-slate-200 bg-white p-5" data-testid={`dispute-${d.id}`}>
                  <div className="flex flex-wrap items-center gap-3">
                    <span className="text-lg font-semibold tabular-nums">{money(d.amountMinor, d.currency, locale)}</span>
                    <StatusBadge status={d.status} />
                    <span className="text-sm text-slate-700">{humanize(d.reason)}</span>
                    <Link href={`/payments/${d.paymentId}`} className="font-mono text-xs text-brand-700 underline">{d.paymentId}</Link>
                  </div>
                  <div className={`mt-3 inline-flex flex-wrap items-baseline gap-x-3 rounded-lg px-3 py-2 ${DUE_STYLE[due.urgency]}`} data-testid="evidence-due">
                    <span className="text-base font-semibold">{due.label}</span>
                    {d.evidenceDueBy && <span className="text-sm">Evidence due <TimeStamp iso={d.evidenceDueBy} /></span>}
                  </div>
                  <section aria-label={`Evidence files for dispute ${d.id}`} className="mt-3">
                    <h3 className="text-sm font-semibold text-slate-900">Evidence files</h3>
                    {d.files.length === 0 ? <p className="text-sm text-slate-600">No files yet.</p> : (
                      <ul className="mt-1 divide-y divide-slate-100 rounded-md border border-slate-200" data-testid={`evidence-files-${d.id}`}>
                        {d.files.map((f) => (
                          <li key={f.id} className="flex flex-wrap items-center gap-3 px-3 py-2 text-sm">
                            <a href={`/api/dashboard/disputes/${d.id}/files/${f.id}`} download className="font-medium text-brand-700 underline">{f.filename}</a>
                            <span className="text-slate-600">{humanize(f.field)} · {f.type} · {formatSize(f.sizeBytes)}</span>
                            <span className="text-slate-600"><TimeStamp iso={f.created} /></span>
                            {f.submitted && <span className="rounded bg-emerald-50 px-1.5 text-xs text-emerald-900">submitted</span>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </section>
                  {canRespond ? (
                    <>
                      <DisputeEvidenceUpload disputeId={d.id} maxBytes={EVIDENCE_FILES_MAX_BYTES} />
                      <details className="mt-2">
                        <summary className="cursor-pointer text-sm font-medium text-brand-700">Add evidence</summary>
                        <DisputeEvidenceForm disputeId={d.id} initial={d.evidence} />
                      </details>
                    </>
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
