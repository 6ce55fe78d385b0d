"use client";
import { ClientForm } from "./client-form";
// Text evidence for one dispute: save a draft or submit it to the card network (final).
import { useRouter } from "next/navigation";
import { usePendingAction } from "./use-pending-action";
import { useState } from "react";
import { apiFetch } from "./api-fetch";

const FIELDS = [
  ["product_description", "What was sold", "textarea"],
  ["customer_name", "Customer name", "input"],
  ["customer_email_address", "Customer email", "input"],
  ["shipping_tracking_number", "Shipping tracking number", "input"],
  ["refund_policy_disclosure", "How the refund policy was shown", "textarea"],
  ["uncategorized_text", "Anything else", "textarea"],
] as const;

export function DisputeEvidenceForm({ disputeId, initial }: { disputeId: string; initial: Record<string, string> }) {
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(FIELDS.map(([name]) => [name, initial[name] ?? ""])));
  const { busy, error, run } = usePendingAction();
  const [done, setDone] = useState<string | null>(null);

  async function send(submit: boolean) {
    if (busy) return;
    if (submit && !window.confirm("Submit this evidence? It goes to the card network and cannot be changed afterwards.")) return;
    await run(async () => {
      const evidence = Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== ""));
      await apiFetch(`/api/dashboard/disputes/${disputeId}/evidence`, { method: "POST", body: { evidence, submit } });
      setDone(submit ? "Evidence submitted. The outcome usually takes weeks." : "Draft saved.");
      router.refresh();
    });
  }

  return (
    <ClientForm onSubmit={(e) => { e.preventDefault(); void send(true); }} className="mt-3 space-y-3" aria-label={`Evidence for dispute ${disputeId}`}>
      {FIELDS.map(([name, label, kind]) => (
        <div key={name}>
          <label htmlFor={`${disputeId}-${name}`} className="block text-sm font-medium text-slate-700">{label}</label>
          {kind === "textarea" ? (
            <textarea id={`${disputeId}-${name}`} value={values[name]} onChange={(e) => setValues({ ...values, [name]: e.target.value })} rows={3} maxLength={20_000}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
          ) : (
            <input id={`${disputeId}-${name}`} value={values[name]} onChange={(e) => setValues({ ...values, [name]: e.target.value })} maxLength={500}
              className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
          )}
        </div>
      ))}
      <div className="flex flex-wrap gap-3">
        <button type="submit" disabled={busy} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50">Submit evidence</button>
        <button type="button" onClick={() => send(false)} disabled={busy} className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-50">Save draft</button>
      </div>
      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
      {done && <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{done}</p>}
    </ClientForm>
  );
}
