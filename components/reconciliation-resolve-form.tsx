"use client";
import { ClientForm } from "./client-form";
// Resolves one discrepancy: adjust (post the difference through suspense), re-sync from the PSP, or accept; a note is required.
import { useRouter } from "next/navigation";
import { usePendingAction } from "./use-pending-action";
import { useState } from "react";
import { apiFetch } from "./api-fetch";

const ACTIONS = [
  { value: "adjust", label: "Adjust (post the difference through suspense)" },
  { value: "resync", label: "Re-sync from the PSP" },
  { value: "accept", label: "Accept (nothing to do)" },
] as const;

export function ReconciliationResolveForm({ discrepancyId, suggested }: { discrepancyId: string; suggested: "adjust" | "resync" | "accept" }) {
  const router = useRouter();
  const [action, setAction] = useState<string>(suggested);
  const [note, setNote] = useState("");
  const { busy, error, run } = usePendingAction();

  async function resolve(event: React.FormEvent) {
    event.preventDefault();
    await run(async () => {
      await apiFetch(`/api/dashboard/reconciliation/discrepancies/${discrepancyId}/resolve`, { method: "POST", body: { action, note } });
      router.refresh();
    });
  }

  return (
    <ClientForm onSubmit={resolve} className="mt-3 flex flex-wrap items-end gap-3" aria-label={`Resolve ${discrepancyId}`}>
      <div>
        <label htmlFor={`action-${discrepancyId}`} className="block text-sm font-medium text-slate-700">Action</label>
        <select id={`action-${discrepancyId}`} value={action} onChange={(e) => setAction(e.target.value)} className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
          {ACTIONS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
        </select>
      </div>
      <div className="min-w-64 flex-1">
        <label htmlFor={`note-${discrepancyId}`} className="block text-sm font-medium text-slate-700">Note</label>
        <input id={`note-${discrepancyId}`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} required
          placeholder="What you checked and why" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
      </div>
      <button type="submit" disabled={busy || note.trim().length === 0} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50">
        {busy ? "Resolving…" : "Resolve"}
      </button>
      {error && <p role="alert" className="w-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
    </ClientForm>
  );
}
