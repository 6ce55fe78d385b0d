"use client";
import { ClientForm } from "./client-form";
// Move money between two of the merchant's accounts. The server applies the ledger's checks (same
// currency, same side, floors); one Idempotency-Key per form submission.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

type AccountOption = { id: string; name: string; currency: string; balanceDisplay: string };

export function BalancesTransferForm({ accounts }: { accounts: AccountOption[] }) {
  const router = useRouter();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const lock = useRef(false);
  const currency = accounts.find((a) => a.id === from)?.currency ?? "";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (lock.current) return;
    lock.current = true;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const response = await fetch("/api/dashboard/transfers", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify({ from_account: from, to_account: to, amount, currency, ...(description.trim() ? { description: description.trim() } : {}) }),
      });
      const payload = await response.json().catch(() => null);
      if (!response.ok) throw new Error(payload?.error?.message ?? `Request failed (${response.status}).`);
      setDone(`Transfer ${payload.id} done.`);
      setAmount("");
      setDescription("");
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      lock.current = false;
      setBusy(false);
    }
  }

  const field = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
  return (
    <ClientForm onSubmit={submit} aria-labelledby="transfer-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="transfer-heading" className="text-sm font-semibold text-slate-900">Transfer between accounts</h2>
      <div className="mt-3 grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="transfer-from" className="block text-sm font-medium text-slate-700">From</label>
          <select id="transfer-from" value={from} onChange={(e) => setFrom(e.target.value)} required className={field}>
            <option value="">Choose an account</option>
            {accounts.map((a) => <option key={a.id} value={a.id}>{a.name} · {a.currency} · {a.balanceDisplay}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="transfer-to" className="block text-sm font-medium text-slate-700">To</label>
          <select id="transfer-to" value={to} onChange={(e) => setTo(e.target.value)} required className={field}>
            <option value="">Choose an account</option>
            {accounts.filter((a) => a.id !== from && (!currency || a.currency === currency)).map((a) => <option key={a.id} value={a.id}>{a.name} · {a.currency}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="transfer-amount" className="block text-sm font-medium text-slate-700">Amount{currency ? ` (${currency})` : ""}</label>
          <input id="transfer-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required placeholder="25.00" className={field} />
        </div>
        <div>
          <label htmlFor="transfer-description" className="block text-sm font-medium text-slate-700">Description (optional)</label>
          <input id="transfer-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} className={field} />
        </div>
      </div>
      <button type="submit" disabled={busy || !from || !to || !amount} className="mt-4 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50">
        {busy ? "Transferring…" : "Transfer"}
      </button>
      {error && <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
      {done && <p role="status" className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">{done}</p>}
    </ClientForm>
  );
}
