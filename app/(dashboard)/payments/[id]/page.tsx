import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { EmptyState, PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/payments-status-badge";
import { TimeStamp } from "@/components/time-stamp";
import { AppError } from "@/lib/api/errors";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { humanize, localeFromAcceptLanguage, methodLabel, money } from "@/lib/dashboard/format";
import { getPaymentDetail } from "@/lib/dashboard/get-payment-detail";

export const metadata: Metadata = { title: "Payment" };
export const dynamic = "force-dynamic";

/** A fraud rule's reason as a sentence: { rule, detail, weight } from lib/fraud, or a plain string. */
function describeReason(reason: unknown): string {
  if (typeof reason === "string") return reason;
  const r = reason as { rule?: string; detail?: string; message?: string; code?: string; weight?: number };
  const text = r.detail ?? r.message ?? r.code ?? JSON.stringify(reason);
  return `${r.rule ? `${humanize(r.rule)}: ` : ""}${text}${typeof r.weight === "number" ? ` (+${r.weight})` : ""}`;
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id={id} className="text-sm font-semibold text-slate-900">{title}</h2>
      <div className="mt-3">{children}</div>
    </section>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default async function PaymentDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, user, requestHeaders] = await Promise.all([params, getDashboardUser(), headers()]);
  if (!user) redirect("/sign-in"); // the layout redirects too; pages render alongside it
  const locale = localeFromAcceptLanguage(requestHeaders.get("accept-language"));
  const detail = await getPaymentDetail({
    merchantId: user!.merchantId,
    paymentId: id,
    actor: { type: "user", id: user!.id, ip: requestHeaders.get("x-forwarded-for"), userAgent: requestHeaders.get("user-agent") },
  }).catch((error) => {
    if (error instanceof AppError && error.code === "resource_missing") notFound();
    throw error;
  });
  const fmt = (minor: string) => money(minor, detail.currency, locale);
  const who = (actorId: string | null) => (actorId ? (detail.names[actorId] ?? actorId) : "—");
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm"><Link href="/payments" className="text-brand-700 underline">Payments</Link> <span aria-hidden="true">/</span> <span className="font-mono text-xs">{detail.id}</span></nav>
      <PageHeader
        title={fmt(detail.amountMinor)}
        description={detail.description ?? undefined}
        actions={
          <div className="flex items-center gap-3">
            <StatusBadge status={detail.status} />
            {can(user!.role, "refund") && detail.refundableMinor !== "0" && (
              <Link href={`/refunds?payment=${detail.id}`} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700">Refund</Link>
            )}
            <a href={detail.receiptPath} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">Receipt {detail.receiptNumber}</a>
          </div>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Section id="summary" title="Summary">
          <dl className="grid grid-cols-2 gap-3">
            <Field label="Payment id"><span className="font-mono text-xs">{detail.id}</span></Field>
            <Field label="Created"><TimeStamp iso={detail.created} /></Field>
            <Field label="Amount">{fmt(detail.amountMinor)}</Field>
            <Field label="Captured">{fmt(detail.amountCapturedMinor)}</Field>
            <Field label="Refunded">{fmt(detail.amountRefundedMinor)}</Field>
            <Field label="Still refundable">{fmt(detail.refundableMinor)}</Field>
            <Field label="PSP fee">{detail.feeMinor === null ? "—" : fmt(detail.feeMinor)}</Field>
            <Field label="Capture">{humanize(detail.captureMethod)}</Field>
            <Field label="Method">{methodLabel(detail.methodType, detail.method?.brand ?? null, detail.method?.last4 ?? null)}{detail.method?.wallet ? ` (${humanize(detail.method.wallet)})` : ""}</Field>
            <Field label="Customer"><span className="font-mono text-xs">{detail.customerId ?? "—"}</span></Field>
            <Field label="PaymentIntent"><span className="font-mono text-xs">{detail.pspPaymentIntentId ?? "—"}</span></Field>
            <Field label="Charge"><span className="font-mono text-xs">{detail.pspChargeId ?? "—"}</span></Field>
          </dl>
          {detail.failure && (
            <p className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              <span className="font-semibold">Failed:</span> {detail.failure.message ?? "—"} <span className="font-mono text-xs">({detail.failure.declineCode ?? detail.failure.code})</span>
            </p>
          )}
        </Section>

        <Section id="risk" title="Risk assessment">
          {detail.risk ? (
            <dl className="grid grid-cols-2 gap-3">
              <Field label="Outcome">{detail.risk.outcome ? humanize(detail.risk.outcome) : "—"}</Field>
              <Field label="Score">{detail.risk.score ?? "—"}<span className="text-slate-600"> / 100</span></Field>
              <div className="col-span-2">
                <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">Reasons</dt>
                <dd className="mt-1">
                  {Array.isArray(detail.risk.reasons) && detail.risk.reasons.length > 0 ? (
                    <ul className="list-inside list-disc text-sm">
                      {(detail.risk.reasons as unknown[]).map((reason, index) => (
                        <li key={index}>{describeReason(reason)}</li>
                      ))}
                    </ul>
                  ) : <span className="text-sm text-slate-600">No rule fired.</span>}
                </dd>
              </div>
            </dl>
          ) : <p className="text-sm text-slate-600">Not assessed.</p>}
        </Section>

        <Section id="timeline" title="Timeline">
          {detail.timeline.length === 0 ? <p className="text-sm text-slate-600">No state changes recorded.</p> : (
            <ol className="relative space-y-3 border-l border-slate-200 pl-4" data-testid="payment-timeline">
              {detail.timeline.map((event) => (
                <li key={event.id} className="text-sm">
                  <span aria-hidden="true" className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border-2 border-white bg-brand-500" />
                  <p><StatusBadge status={event.to} /> <span className="text-slate-600">from {event.from ?? "—"}</span></p>
                  <p className="text-xs text-slate-600"><TimeStamp iso={event.at} /> · {event.reason ?? "—"} · {event.actorType === "user" ? who(event.actorId) : event.actorType}</p>
                </li>
              ))}
            </ol>
          )}
        </Section>

        <Section id="refunds" title="Refunds">
          {detail.refunds.length === 0 ? <p className="text-sm text-slate-600">No refunds.</p> : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Refunds of this payment</caption>
              <thead className="text-xs uppercase text-slate-600"><tr><th scope="col" className="py-1">Amount</th><th scope="col">Status</th><th scope="col">Asked by</th><th scope="col">Approved by</th><th scope="col">When</th></tr></thead>
              <tbody className="divide-y divide-slate-100">
                {detail.refunds.map((refund) => (
                  <tr key={refund.id}>
                    <td className="py-1.5 tabular-nums">{fmt(refund.amountMinor)}</td>
                    <td><StatusBadge status={refund.status} />{refund.failureReason && <span className="block text-xs text-red-700">{refund.failureReason}</span>}</td>
                    <td className="text-xs">{who(refund.requestedBy)}</td>
                    <td className="text-xs">{who(refund.approvedBy)}</td>
                    <td className="text-xs"><TimeStamp iso={refund.created} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        <Section id="disputes" title="Disputes">
          {detail.disputes.length === 0 ? <p className="text-sm text-slate-600">No disputes.</p> : (
            <ul className="space-y-2 text-sm">
              {detail.disputes.map((dispute) => (
                <li key={dispute.id} className="flex flex-wrap items-center gap-2">
                  <StatusBadge status={dispute.status} /> {fmt(dispute.amountMinor)} · {humanize(dispute.reason)}
                  {dispute.evidenceDueBy && <span className="text-xs text-slate-600">evidence due <TimeStamp iso={dispute.evidenceDueBy} /></span>}
                  <Link href={`/disputes#${dispute.id}`} className="text-brand-700 underline">Respond</Link>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section id="psp-events" title="PSP events received">
          {detail.pspEvents.length === 0 ? <p className="text-sm text-slate-600">No webhook events received yet.</p> : (
            <ul className="space-y-1 text-sm">
              {detail.pspEvents.map((event) => (
                <li key={event.id} className="flex flex-wrap gap-2">
                  <span className="font-mono text-xs">{event.type}</span>
                  <StatusBadge status={event.status === "processed" ? "succeeded" : event.status} />
                  <span className="text-xs text-slate-600"><TimeStamp iso={event.received} /></span>
                  {event.lastError && <span className="text-xs text-red-700">{event.lastError}</span>}
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>

      <div className="mt-4">
        <Section id="ledger" title="Ledger entries">
          {detail.ledger.length === 0 ? <EmptyState title="No ledger postings yet">Postings appear when the payment is captured, settled, refunded or disputed.</EmptyState> : (
            <div className="space-y-4" data-testid="payment-ledger">
              {detail.ledger.map((transaction) => (
                <div key={transaction.transactionId}>
                  <p className="text-sm font-medium">{transaction.description} <span className="font-mono text-xs text-slate-600">{transaction.externalRef}</span> <span className="text-xs text-slate-600"><TimeStamp iso={transaction.created} /></span></p>
                  <table className="mt-1 w-full text-left text-sm">
                    <caption className="sr-only">Entries of {transaction.transactionId}</caption>
                    <thead className="text-xs uppercase text-slate-600"><tr><th scope="col" className="py-1">Account</th><th scope="col" className="text-right">Debit</th><th scope="col" className="text-right">Credit</th></tr></thead>
                    <tbody className="divide-y divide-slate-100">
                      {transaction.entries.map((entry, index) => (
                        <tr key={index}>
                          <td className="py-1">{entry.accountName} <span className="font-mono text-xs text-slate-600">{entry.code ?? entry.accountId}</span></td>
                          <td className="text-right tabular-nums">{entry.direction === "debit" ? money(entry.amountMinor, entry.currency, locale) : ""}</td>
                          <td className="text-right tabular-nums">{entry.direction === "credit" ? money(entry.amountMinor, entry.currency, locale) : ""}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ))}
            </div>
          )}
        </Section>
      </div>
    </>
  );
}
