"use client";
import { useHydrated } from "./use-hydrated";
// GDPR actions on a customer for admins: download everything held, or erase (crypto-shred) it.
import { useRouter } from "next/navigation";
import { usePendingAction } from "./use-pending-action";
import { apiFetch } from "./api-fetch";

export function CustomerGdprActions({ customerId, erased }: { customerId: string; erased: boolean }) {
  const router = useRouter();
  const { busy, error, run } = usePendingAction();
  const hydrated = useHydrated();

  async function erase() {
    if (!window.confirm("Erase this customer's personal data? Their data key is destroyed; this cannot be undone.")) return;
    await run(async () => {
      await apiFetch(`/customers/${customerId}/erase`, { method: "POST" });
      router.refresh();
    });
  }

  return (
    <section aria-labelledby="gdpr-heading" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="gdpr-heading" className="text-sm font-semibold">Data protection (GDPR)</h2>
      <p className="mt-1 text-sm text-slate-600">Export everything Settle holds about this customer, or erase it. Both are recorded in the audit log.</p>
      <div className="mt-3 flex flex-wrap gap-3">
        <a href={`/customers/${customerId}/export`} download={`${customerId}-export.json`}
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">Download data export</a>
        {!erased && (
          <button type="button" onClick={erase} disabled={busy || !hydrated}
            className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60">
            {busy ? "Erasing…" : "Erase personal data"}
          </button>
        )}
      </div>
      {error && <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
    </section>
  );
}
