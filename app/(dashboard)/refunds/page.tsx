import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState, PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/payments-status-badge";
import { RefundDecision } from "@/components/refund-approvals";
import { RefundForm } from "@/components/refund-form";
import { TimeStamp } from "@/components/time-stamp";
import { AppError } from "@/lib/api/errors";
import { getDashboardUser } from "@/lib/auth/session";
import { humanize, localeFromAcceptLanguage, methodLabel, money } from "@/lib/dashboard/format";
import { assertCanRefund, findRefundCandidate, listRefundsForScreen, refundApprovalThresholdMinor } from "@/lib/dashboard/refund-screen";
import { currencyExponent } from "@/lib/money";

export const metadata: Metadata = { title: "Refunds" };
export const dynamic = "force-dynamic";

export default async function RefundsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, params, requestHeaders] = await Promise.all([getDashboardUser(), searchParams, headers()]);
  if (!user) redirect("/sign-in"); // the layout redirects too; pages render alongside it
  const actor = { type: "user" as const, id: user!.id, ip: requestHeaders.get("x-forwarded-for"), userAgent: requestHeaders.get("user-agent") };
  try {
    await assertCanRefund(user!, actor, "refund.screen");
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return (
      <>
        <PageHeader title="Refunds" />
        <div role="alert" data-testid="refunds-forbidden" className="rounded-xl border border-red-200 bg-red-50 p-5">
          <p className="text-base font-semibold text-red-900">403 — Admins only</p>
          <p className="mt-1 text-sm text-red-800">Your role ({user!.role}) cannot refund payments. Ask an admin; this attempt has been recorded in the audit log.</p>
        </div>
      </>
    );
  }
  const locale = localeFromAcceptLanguage(requestHeaders.get("accept-language"));
  const paymentId = (Array.isArray(params.payment) ? params.payment[0] : params.payment)?.trim();
  const threshold = refundApprovalThresholdMinor();
  const [candidate, refunds] = await Promise.all([
    paymentId ? findRefundCandidate(user!.merchantId, paymentId) : Promise.resolve(null),
    listRefundsForScreen(user!.merchantId),
  ]);
  const pending = refunds.filter((r) => r.status === "pending_approval");
  const others = refunds.filter((r) => r.status !== "pending_approval");

  return (
    <>
      <PageHeader title="Refunds" description="Find a payment, refund all or part of it, and approve refunds other admins asked for." />
      <form method="get" action="/refunds" role="search" aria-label="Find a payment to refund" className="mb-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
        <div>
          <label htmlFor="payment" className="block text-sm font-medium text-slate-700">Payment id</label>
          <input id="payment" name="payment" defaultValue={paymentId ?? ""} placeholder="pay_…" required className="mt-1 w-80 max-w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">Find payment</button>
        <Link href="/payments" className="text-sm font-medium text-brand-700 underline">Search all payments</Link>
      </form>

      {paymentId && !candidate && <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">No payment {paymentId} in this account.</p>}
      {candidate && (
        <div className="mb-6 grid gap-4 lg:grid-cols-2">
          <section aria-labelledby="candidate-heading" className="rounded-xl border border-slate-200 bg-white p-5" data-testid="refund-candidate">
            <h2 id="candidate-heading" className="text-sm font-semibold text-slate-900">
              Payment <Link href={`/payments/${candidate.id}`} className="font-mono text-xs text-brand-700 underline">{candidate.id}</Link>
            </h2>
            <dl className="mt-3 grid grid-cols-2 gap-3 text-sm">
              <div><dt className="text-xs uppercase text-slate-600">Status</dt><dd><StatusBadge status={candidate.status} /></dd></div>
              <div><dt className="text-xs uppercase text-slate-600">Created</dt><dd><TimeStamp iso={candidate.created} /></dd></div>
              <div><dt className="text-xs uppercase text-slate-600">Captured</dt><dd className="tabular-nums">{money(candidate.capturedMinor, candidate.currency, locale)}</dd></div>
              <div><dt className="text-xs uppercase text-slate-600">Refunded</dt><dd className="tabular-nums">{money(candidate.refundedMinor, candidate.currency, locale)}</dd></div>
              <div className="col-span-2"><dt className="text-xs uppercase text-slate-600">Still refundable</dt><dd className="text-lg font-semibold tabular-nums" data-testid="refundable">{money(candidate.refundableMinor, candidate.currency, locale)}</dd></div>
              <div className="col-span-2"><dt className="text-xs uppercase text-slate-600">Method</dt><dd>{methodLabel(candidate.method.type, candidate.method.brand, candidate.method.last4)}</dd></div>
            </dl>
          </section>
          {/* One form per payment (stable key): its confirmation survives the refresh that follows a refund. */}
          <RefundForm
            key={candidate.id}
            paymentId={candidate.id}
            currency={candidate.currency}
            locale={locale}
            refundableMinor={candidate.refundableMinor}
            refundableDisplay={money(candidate.refundableMinor, candidate.currency, locale)}
            exponent={currencyExponent(candidate.currency)}
            thresholdMinor={threshold.toString()}
            thresholdDisplay={money(threshold, candidate.currency, locale)}
            methodDisplay={methodLabel(candidate.method.type, candidate.method.brand, candidate.method.last4)}
            blockedReason={candidate.refundable ? null : candidate.blockedReason}
          />
        </div>
      )}

      <section aria-labelledby="pending-heading" className="mb-6">
        <h2 id="pending-heading" className="mb-2 text-sm font-semibold text-slate-900">Waiting for approval</h2>
        {pending.length === 0 ? <EmptyState title="No refunds waiting for approval" /> : (
          <RefundTable rows={pending} locale={locale} meId={user!.id} withDecision />
        )}
      </section>
      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading" className="mb-2 text-sm font-semibold text-slate-900">Recent refunds</h2>
        {others.length === 0 ? <EmptyState title="No refunds yet">Refunds you make here or through the API appear in this list.</EmptyState> : (
          <RefundTable rows={others} locale={locale} meId={user!.id} />
        )}
      </section>
    </>
  );
}

/** "Name (email)" shown as the name, with the email on hover and for screen readers. */
function Person({ full, fallback }: { full: string | null; fallback: string }) {
  if (!full) return <>{fallback}</>;
  const name = full.split(" (")[0];
  return <span title={full}>{name}<span className="sr-only"> {full.slice(name!.length)}</span></span>;
}

function RefundTable({ rows, locale, meId, withDecision = false }: { rows: Awaited<ReturnType<typeof listRefundsForScreen>>; locale: string; meId: string; withDecision?: boolean }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm" data-testid={withDecision ? "refunds-pending" : "refunds-recent"}>
        <caption className="sr-only">{withDecision ? "Refunds waiting for approval" : "Recent refunds"}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2 text-right">Amount</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2">Payment</th>
            <th scope="col" className="px-4 py-2">Reason</th>
            <th scope="col" className="px-4 py-2">Asked by</th>
            <th scope="col" className="px-4 py-2">Approved by</th>
            <th scope="col" className="px-4 py-2">PSP outcome</th>
            <th scope="col" className="px-4 py-2">Created</th>
            {withDecision && <th scope="col" className="px-4 py-2"><span className="sr-only">Decision</span></th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid={`refund-row-${row.id}`}>
              <td className="whitespace-nowrap px-4 py-2 text-right font-medium tabular-nums">{money(row.amountMinor, row.currency, locale)}</td>
              <td className="px-4 py-2"><StatusBadge status={row.status} /></td>
              <td className="px-4 py-2"><Link href={`/payments/${row.paymentId}`} title={row.paymentId} className="font-mono text-xs text-brand-700 underline">{row.paymentId.slice(0, 14)}…<span className="sr-only">{row.paymentId}</span></Link></td>
              <td className="px-4 py-2">{row.reason ? humanize(row.reason) : "—"}</td>
              <td className="px-4 py-2 text-xs"><Person full={row.requestedByName} fallback="API" /></td>
              <td className="px-4 py-2 text-xs"><Person full={row.approvedByName} fallback={row.status === "pending_approval" ? "—" : "Not needed"} /></td>
              <td className="px-4 py-2 text-xs">{row.pspRefundId ? <span className="font-mono">{row.pspRefundId}</span> : "—"}{row.failureReason && <span className="block text-red-700">{row.failureReason}</span>}</td>
              <td className="whitespace-nowrap px-4 py-2 text-xs"><TimeStamp iso={row.created} /></td>
              {withDecision && (
                <td className="px-4 py-2"><RefundDecision refundId={row.id} amountDisplay={money(row.amountMinor, row.currency, locale)} ownRequest={row.requestedBy === meId} /></td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
