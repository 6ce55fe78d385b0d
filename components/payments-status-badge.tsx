// A payment/refund/dispute status as a coloured pill (text carries the meaning; colour only helps).
const TONES: Record<string, string> = {
  captured: "bg-emerald-100 text-emerald-800",
  settled: "bg-emerald-100 text-emerald-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  won: "bg-emerald-100 text-emerald-800",
  authorized: "bg-sky-100 text-sky-800",
  pending: "bg-amber-100 text-amber-900",
  pending_approval: "bg-amber-100 text-amber-900",
  initiated: "bg-slate-100 text-slate-700",
  review: "bg-amber-100 text-amber-900",
  needs_response: "bg-red-100 text-red-800",
  warning_needs_response: "bg-red-100 text-red-800",
  under_review: "bg-sky-100 text-sky-800",
  failed: "bg-red-100 text-red-800",
  lost: "bg-red-100 text-red-800",
  chargeback: "bg-red-100 text-red-800",
  canceled: "bg-slate-100 text-slate-700",
  refunded: "bg-violet-100 text-violet-800",
  refund_settled: "bg-violet-100 text-violet-800",
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`inline-block whitespace-nowrap rounded px-2 py-0.5 text-xs font-medium ${TONES[status] ?? "bg-slate-100 text-slate-700"}`}>
      {status.replace(/_/g, " ")}
    </span>
  );
}
