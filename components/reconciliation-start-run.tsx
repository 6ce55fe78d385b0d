"use client";
import { ClientForm } from "./client-form";
// Starts a reconciliation run for one UTC day (and optionally one currency) and opens it when done.
import { useState } from "react";
import { apiFetch } from "./api-fetch";

export function ReconciliationStartRun({ defaultDay }: { defaultDay: string }) {
  const [day, setDay] = useState(defaultDay);
  const [currency, setCurrency] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function start(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const run = await apiFetch<{ id: string }>("/api/dashboard/reconciliation/runs", {
        method: "POST",
        body: { period_start: day, ...(currency ? { currency: currency.toUpperCase() } : {}) },
      });
      // A full load, so the layout's banner reflects the new run too.
      window.location.assign(`/reconciliation/${run.id}`);
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <ClientForm onSubmit={start} className="mb-6 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4" aria-labelledby="start-run-heading">
      <h2 id="start-run-heading" className="w-full text-sm font-semibold text-slate-900">Run a reconciliation</h2>
      <div>
        <label htmlFor="run-day" className="block text-sm font-medium text-slate-700">Day (UTC)</label>
        <input id="run-day" type="date" required value={day} onChange={(e) => setDay(e.target.value)} className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm" />
      </div>
      <div>
        <label htmlFor="run-currency" className="block text-sm font-medium text-slate-700">Currency (optional)</label>
        <input id="run-currency" value={currency} onChange={(e) => setCurrency(e.target.value)} maxLength={3} placeholder="All"
          className="mt-1 w-24 rounded-md border border-slate-300 px-3 py-2 text-sm uppercase" />
      </div>
      <button type="submit" disabled={busy} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50">
        {busy ? "Reconciling…" : "Start run"}
      </button>
      {error && <p role="alert" className="w-full rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
    </ClientForm>
  );
}
