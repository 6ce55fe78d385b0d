"use client";
import { useHydrated } from "./use-hydrated";
// Approve or reject a refund held for approval. The requester cannot approve their own (the server says
// so too); the buttons show who asked.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "./api-fetch";

export function RefundDecision({ refundId, amountDisplay, ownRequest }: { refundId: string; amountDisplay: string; ownRequest: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);

  async function decide(action: "approve" | "reject") {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/dashboard/refunds/${refundId}/${action}`, { method: "POST" });
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  if (ownRequest) return <span className="text-xs text-slate-600">Waiting for another admin</span>;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" onClick={() => decide("approve")} disabled={busy || !hydrated} className="rounded-md bg-emerald-700 px-3 py-1.5 text-xs font-semibold text-white hover:bg-emerald-800 disabled:opacity-50">
        Approve<span className="sr-only"> refund {refundId} of {amountDisplay}</span>
      </button>
      <button type="button" onClick={() => decide("reject")} disabled={busy || !hydrated} className="rounded-md border border-slate-300 px-3 py-1.5 text-xs font-medium hover:bg-slate-50 disabled:opacity-50">
        Reject<span className="sr-only"> refund {refundId}</span>
      </button>
      {error && <span role="alert" className="text-xs text-red-700">{error}</span>}
    </div>
  );
}
