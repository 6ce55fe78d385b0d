"use client";
// The review queue: pending holds with their reasons and amounts, approve/reject with a reason.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "./api-fetch";
import { EmptyState } from "./page-header";
import { TimeStamp } from "./time-stamp";

export type ReviewItem = {
  id: string;
  subjectType: "payment" | "transfer";
  subjectId: string;
  amount: string;
  reasons: string[];
  status: "pending" | "approved" | "rejected";
  decidedBy: string | null;
  reason: string | null;
  created: string;
};

function StatusBadge({ status }: { status: ReviewItem["status"] }) {
  const style = status === "approved" ? "bg-emerald-100 text-emerald-800" : status === "rejected" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900";
  return <span className={`rounded px-2 py-0.5 text-xs font-medium capitalize ${style}`}>{status}</span>;
}

function PendingReview({ review, onDecided }: { review: ReviewItem; onDecided: (updated: ReviewItem) => void }) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function decide(decision: "approve" | "reject") {
    setBusy(true);
    setError(null);
    try {
      const result = await apiFetch<{ status: ReviewItem["status"]; decided_by: string | null; reason: string | null }>(
        `/api/dashboard/reviews/${review.id}/decide`,
        { method: "POST", body: { decision, reason } },
      );
      onDecided({ ...review, status: result.status, decidedBy: result.decided_by, reason: result.reason });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const inputId = `reason-${review.id}`;
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4" data-testid={`review-${review.subjectId}`} aria-label={`Review of ${review.subjectType} ${review.subjectId}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm font-semibold">
          <span className="capitalize">{review.subjectType}</span> <span className="font-mono">{review.subjectId}</span>
        </p>
        <p className="text-sm tabular-nums">{review.amount}</p>
      </div>
      <p className="mt-1 text-xs text-slate-600">Held <TimeStamp iso={review.created} /> · <StatusBadge status={review.status} /></p>
      <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
        {review.reasons.map((text, index) => <li key={index}>{text}</li>)}
      </ul>
      <div className="mt-3 flex flex-wrap items-end gap-2">
        <div className="min-w-64 flex-1">
          <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">Reason for {review.subjectId}</label>
          <input id={inputId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" placeholder="What you checked and why" />
        </div>
        <button type="button" disabled={busy || reason.trim().length < 3} onClick={() => decide("approve")}
          className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800 disabled:opacity-50">
          Approve<span className="sr-only"> {review.subjectId}</span>
        </button>
        <button type="button" disabled={busy || reason.trim().length < 3} onClick={() => decide("reject")}
          className="rounded-md bg-red-700 px-4 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-50">
          Reject<span className="sr-only"> {review.subjectId}</span>
        </button>
      </div>
      {error && <p role="alert" className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
    </li>
  );
}

export function ReviewQueue({ pending, recent }: { pending: ReviewItem[]; recent: ReviewItem[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(pending);
  const [done, setDone] = useState(recent);

  function onDecided(updated: ReviewItem) {
    setOpen((items) => items.filter((item) => item.id !== updated.id));
    setDone((items) => [updated, ...items.filter((item) => item.id !== updated.id)]);
    router.refresh();
  }

  return (
    <div className="space-y-8">
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading" className="mb-3 text-sm font-semibold">Pending ({open.length})</h2>
        {open.length === 0 ? (
          <EmptyState title="Nothing is waiting for review" />
        ) : (
          <ul className="space-y-3">{open.map((review) => <PendingReview key={review.id} review={review} onDecided={onDecided} />)}</ul>
        )}
      </section>
      <section aria-labelledby="decided-heading">
        <h2 id="decided-heading" className="mb-3 text-sm font-semibold">Recently decided</h2>
        {done.length === 0 ? (
          <p className="text-sm text-slate-600">No decisions yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">Recently decided reviews</caption>
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2">Subject</th>
                  <th scope="col" className="px-4 py-2">Amount</th>
                  <th scope="col" className="px-4 py-2">Decision</th>
                  <th scope="col" className="px-4 py-2">Reason</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {done.map((review) => (
                  <tr key={review.id} data-testid={`decided-${review.subjectId}`}>
                    <td className="px-4 py-2"><span className="capitalize">{review.subjectType}</span> <span className="font-mono">{review.subjectId}</span></td>
                    <td className="px-4 py-2 tabular-nums">{review.amount}</td>
                    <td className="px-4 py-2"><StatusBadge status={review.status} /></td>
                    <td className="px-4 py-2">{review.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
