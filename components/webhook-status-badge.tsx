// Status pills for endpoints, deliveries and emails.
const STYLES: Record<string, string> = {
  enabled: "bg-emerald-100 text-emerald-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  sent: "bg-emerald-100 text-emerald-800",
  stored: "bg-sky-100 text-sky-800",
  pending: "bg-amber-100 text-amber-900",
  queued: "bg-amber-100 text-amber-900",
  sending: "bg-amber-100 text-amber-900",
  failed: "bg-red-100 text-red-800",
  disabled: "bg-slate-100 text-slate-700",
  skipped: "bg-slate-100 text-slate-700",
};

export function WebhookStatusBadge({ status }: { status: string }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-medium capitalize ${STYLES[status] ?? "bg-slate-100 text-slate-700"}`}>{status}</span>;
}
