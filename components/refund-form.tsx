"use client";
import { ClientForm } from "./client-form";
// Refund one payment: all or part, a reason, then a confirmation step that restates the amount. One
// idempotency key per confirmation, so a double click (or a retried request) makes one refund.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { apiFetch } from "./api-fetch";

type Props = {
  paymentId: string;
  currency: string;
  locale: string;
  /** Minor units as a string. */
  refundableMinor: string;
  refundableDisplay: string;
  exponent: number;
  thresholdMinor: string;
  thresholdDisplay: string;
  methodDisplay: string;
  /** Why nothing can be refunded now (fully refunded, not captured, …); null when a refund is possible. */
  blockedReason?: string | null;
};

const REASONS = [
  ["requested_by_customer", "Requested by the customer"],
  ["duplicate", "Duplicate payment"],
  ["fraudulent", "Fraudulent payment"],
] as const;

function toMinor(text: string, exponent: number): bigint | null {
  const match = text.trim().replace(",", ".").match(/^(\d{1,16})(?:\.(\d+))?$/);
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > exponent) return null;
  return BigInt(match[1]!) * 10n ** BigInt(exponent) + BigInt((fraction + "0".repeat(exponent)).slice(0, exponent) || "0");
}

/** Minor units as an exact decimal string (no floats): 1250n, 2 → "12.50". */
function decimalOf(minor: bigint, exponent: number): string {
  const digits = minor.toString().padStart(exponent + 1, "0");
  return exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export function RefundForm(props: Props) {
  const router = useRouter();
  const [mode, setMode] = useState<"full" | "partial">("full");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState<(typeof REASONS)[number][0]>("requested_by_customer");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const keyRef = useRef<string | null>(null);
  const lock = useRef(false);

  const refundable = BigInt(props.refundableMinor);
  const amountMinor = mode === "full" ? refundable : toMinor(amount, props.exponent);
  const display = (minor: bigint) => new Intl.NumberFormat(props.locale, { style: "currency", currency: props.currency, minimumFractionDigits: props.exponent, maximumFractionDigits: props.exponent }).format(decimalOf(minor, props.exponent) as Intl.StringNumericLiteral);
  const invalid = amountMinor === null || amountMinor <= 0n || amountMinor > refundable;
  const needsApproval = amountMinor !== null && amountMinor > BigInt(props.thresholdMinor);

  function review(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    if (invalid) {
      setError(amountMinor !== null && amountMinor > refundable ? `You can refund at most ${props.refundableDisplay}.` : "Enter an amount greater than zero.");
      return;
    }
    keyRef.current = crypto.randomUUID();
    setConfirming(true);
  }

  async function confirm() {
    if (lock.current || amountMinor === null) return;
    lock.current = true;
    setBusy(true);
    setError(null);
    try {
      const decimal = mode === "full" ? undefined : amount.trim().replace(",", ".");
      const result = await apiFetch<{ refund: { id: string; status: string }; needsApproval: boolean }>("/api/dashboard/refunds", {
        method: "POST",
        body: { payment: props.paymentId, ...(decimal ? { amount: decimal } : {}), reason, idempotency_key: keyRef.current },
      });
      setDone(
        result.needsApproval
          ? `Refund ${result.refund.id} of ${display(amountMinor)} is waiting for a second admin's approval.`
          : `Refund ${result.refund.id} of ${display(amountMinor)} was sent to the payment provider (${result.refund.status}).`,
      );
      setConfirming(false);
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      lock.current = false;
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div role="status" data-testid="refund-done" className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900">
        <p>{done}</p>
        {!props.blockedReason && (
          <button type="button" onClick={() => { setDone(null); setMode("full"); setAmount(""); }} className="mt-2 font-medium underline">
            Refund more of this payment
          </button>
        )}
      </div>
    );
  }

  if (props.blockedReason) {
    return <p className="rounded-xl border border-slate-200 bg-white p-5 text-sm text-slate-700">{props.blockedReason}</p>;
  }

  return (
    <ClientForm onSubmit={review} aria-labelledby="refund-form-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="refund-form-heading" className="text-sm font-semibold text-slate-900">Refund</h2>
      {!confirming ? (
        <>
          <fieldset className="mt-3">
            <legend className="text-sm font-medium text-slate-700">How much</legend>
            <div className="mt-2 space-y-2">
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name="mode" checked={mode === "full"} onChange={() => setMode("full")} /> Everything still refundable ({props.refundableDisplay})
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input type="radio" name="mode" checked={mode === "partial"} onChange={() => setMode("partial")} /> Part of it
              </label>
            </div>
          </fieldset>
          {mode === "partial" && (
            <div className="mt-3">
              <label htmlFor="refund-amount" className="block text-sm font-medium text-slate-700">Amount ({props.currency})</label>
              <input id="refund-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required placeholder={props.exponent > 0 ? `0.${"0".repeat(props.exponent)}` : "0"}
                aria-describedby="refund-amount-hint" className="mt-1 w-48 rounded-md border border-slate-300 px-3 py-2 text-sm tabular-nums" />
              <p id="refund-amount-hint" className="mt-1 text-xs text-slate-600">Up to {props.refundableDisplay}.</p>
            </div>
          )}
          <div className="mt-3">
            <label htmlFor="refund-reason" className="block text-sm font-medium text-slate-700">Reason</label>
            <select id="refund-reason" value={reason} onChange={(e) => setReason(e.target.value as typeof reason)} className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              {REASONS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          </div>
          {needsApproval && !invalid && (
            <p className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">Refunds above {props.thresholdDisplay} need a second admin&apos;s approval before they are sent.</p>
          )}
          <button type="submit" className="mt-4 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">Review refund</button>
        </>
      ) : (
        <div className="mt-3" data-testid="refund-confirm">
          <p className="text-base text-slate-900">
            Refund <strong className="tabular-nums">{display(amountMinor!)}</strong> of payment <span className="font-mono text-xs">{props.paymentId}</span> to {props.methodDisplay}?
          </p>
          <p className="mt-1 text-sm text-slate-600">Reason: {REASONS.find(([value]) => value === reason)?.[1]}. {needsApproval ? "It will wait for a second admin's approval." : "It goes to the payment provider at once and cannot be undone."}</p>
          <div className="mt-4 flex gap-3">
            <button type="button" onClick={confirm} disabled={busy} className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-50">
              {busy ? "Refunding…" : `Confirm refund of ${display(amountMinor!)}`}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium">Back</button>
          </div>
        </div>
      )}
      {error && <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
    </ClientForm>
  );
}
