"use client";
import { ClientForm } from "./client-form";
// Upload one evidence file (PDF, PNG or JPEG) to a dispute; the server judges the type by the content.
import { useRouter } from "next/navigation";
import { usePendingAction } from "./use-pending-action";
import { type FormEvent, useId, useRef, useState } from "react";

const FIELDS = [
  ["receipt", "Receipt"],
  ["customer_communication", "Customer communication"],
  ["shipping_documentation", "Shipping documentation"],
  ["service_documentation", "Service documentation"],
  ["refund_policy", "Refund policy"],
  ["cancellation_policy", "Cancellation policy"],
  ["customer_signature", "Customer signature"],
  ["duplicate_charge_documentation", "Duplicate charge documentation"],
  ["uncategorized_file", "Other"],
] as const;

export function DisputeEvidenceUpload({ disputeId, maxBytes }: { disputeId: string; maxBytes: number }) {
  const router = useRouter();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [field, setField] = useState<string>("receipt");
  const { busy, error, setError, run } = usePendingAction();
  const [done, setDone] = useState<string | null>(null);
  const maxMb = (maxBytes / 1024 / 1024).toFixed(1);

  async function upload(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setDone(null);
    const file = input.current?.files?.[0];
    if (!file) return setError("Choose a file first.");
    if (file.size > maxBytes) return setError(`The file is larger than ${maxMb} MB.`);
    await run(async () => {
      const form = new FormData();
      form.set("field", field);
      form.set("file", file);
      const response = await fetch(`/api/dashboard/disputes/${disputeId}/files`, { method: "POST", body: form, credentials: "same-origin" });
      const payload = await response.json().catch(() => null);
      if (!response.ok) throw new Error(payload?.error?.message ?? `Upload failed (${response.status}).`);
      setDone(`Uploaded ${payload.filename}.`);
      if (input.current) input.current.value = "";
      router.refresh();
    });
  }

  return (
    <ClientForm onSubmit={upload} className="mt-3 flex flex-wrap items-end gap-3" aria-label={`Upload an evidence file for dispute ${disputeId}`}>
      <div>
        <label htmlFor={`${id}-file`} className="block text-sm font-medium text-slate-700">Evidence file</label>
        <input id={`${id}-file`} ref={input} name="file" type="file" accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
          aria-describedby={`${id}-hint`} required className="mt-1 block text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5" />
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">PDF, PNG or JPEG, up to {maxMb} MB in all per dispute.</p>
      </div>
      <div>
        <label htmlFor={`${id}-field`} className="block text-sm font-medium text-slate-700">It shows</label>
        <select id={`${id}-field`} value={field} onChange={(e) => setField(e.target.value)} className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm">
          {FIELDS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </div>
      <button type="submit" disabled={busy} className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-50">
        {busy ? "Uploading…" : "Upload file"}
      </button>
      <div className="basis-full" aria-live="polite">
        {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
        {done && <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{done}</p>}
      </div>
    </ClientForm>
  );
}
