// The alert shown across the dashboard while the latest reconciliation run still has unexplained
// discrepancies. A server component: drop <ReconciliationBanner /> anywhere under the dashboard layout.
import Link from "next/link";
import { getDashboardUser } from "@/lib/auth/session";
import { findUnexplainedAlert } from "@/lib/reconciliation/list-runs";

export async function ReconciliationBanner() {
  const user = await getDashboardUser();
  if (!user) return null;
  const run = await findUnexplainedAlert(user.merchantId).catch(() => null);
  if (!run) return null;
  const count = Number(run.unexplained_count);
  const day = run.period_start.slice(0, 10);
  return (
    <div role="status" data-testid="reconciliation-banner" className="mb-6 flex flex-wrap items-center justify-between gap-3 rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p>
        <span className="font-semibold">Reconciliation:</span> {count} unexplained {count === 1 ? "discrepancy" : "discrepancies"} in the run for{" "}
        {day}
        {run.currency ? ` (${run.currency})` : ""}.
      </p>
      <Link href={`/reconciliation/${run.id}?status=open`} className="font-semibold text-amber-950 underline underline-offset-2 hover:no-underline">
        Review them
      </Link>
    </div>
  );
}
