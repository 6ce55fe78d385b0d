import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState, PageHeader } from "@/components/page-header";
import { ReconciliationStartRun } from "@/components/reconciliation-start-run";
import { TimeStamp } from "@/components/time-stamp";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { listRuns } from "@/lib/reconciliation/list-runs";
import { ZListRunsQuery } from "@/lib/reconciliation/reconciliation.types";

export const metadata: Metadata = { title: "Reconciliation" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ReconciliationPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await getDashboardUser();
  if (!user) redirect("/sign-in"); // the layout redirects too; pages render alongside it
  const raw = await searchParams;
  const startingAfter = typeof raw.starting_after === "string" ? raw.starting_after : undefined;
  const query = ZListRunsQuery.safeParse({ limit: "25", ...(startingAfter ? { starting_after: startingAfter } : {}) });
  const runs = await listRuns(user.merchantId, query.success ? query.data : { limit: 25 });
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const last = runs.data.at(-1);
  return (
    <>
      <PageHeader
        title="Reconciliation"
        description="Each run matches the PSP's balance transactions (or an uploaded settlement report) against Settle's payments, refunds and disputes and against the ledger. Re-running a period makes a new version; resolutions carry over."
      />
      {can(user.role, "resolveDiscrepancy") && <ReconciliationStartRun defaultDay={yesterday} />}
      {runs.data.length === 0 ? (
        <EmptyState title="No reconciliation runs yet">The nightly job reconciles yesterday; an admin can start a run now.</EmptyState>
      ) : (
        <div role="region" aria-label="Reconciliation runs" tabIndex={0} className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Reconciliation runs</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">Period</th>
                <th scope="col" className="px-4 py-2">Version</th>
                <th scope="col" className="px-4 py-2">State</th>
                <th scope="col" className="px-4 py-2">Source</th>
                <th scope="col" className="px-4 py-2 text-right">PSP records</th>
                <th scope="col" className="px-4 py-2 text-right">Matched</th>
                <th scope="col" className="px-4 py-2 text-right">Discrepancies</th>
                <th scope="col" className="px-4 py-2 text-right">Open</th>
                <th scope="col" className="px-4 py-2">Finished</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {runs.data.map((run) => (
                <tr key={run.id} data-testid={`run-${run.id}`}>
                  <td className="px-4 py-2">
                    <Link href={`/reconciliation/${run.id}`} className="font-medium text-brand-700 hover:underline">
                      {run.period_start.slice(0, 10)}
                      {run.period_end.slice(0, 10) !== new Date(Date.parse(run.period_start) + 86_400_000).toISOString().slice(0, 10) && ` – ${run.period_end.slice(0, 10)} (excl.)`}
                      {run.currency ? ` · ${run.currency}` : ""}
                    </Link>
                  </td>
                  <td className="px-4 py-2">v{run.version}{run.current && <span className="ml-1 text-xs text-slate-600">(current)</span>}</td>
                  <td className="px-4 py-2 capitalize">{run.state}{run.error && <span className="ml-1 text-xs text-red-700">(error)</span>}</td>
                  <td className="px-4 py-2">{run.source === "report" ? `Report${run.report_filename ? ` ${run.report_filename}` : ""}` : "PSP API"}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{run.psp_record_count}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{run.matched_count}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{run.discrepancy_count}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{run.unexplained_count}</td>
                  <td className="px-4 py-2 whitespace-nowrap"><TimeStamp iso={run.finished_at} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {runs.has_more && last && (
        <p className="mt-4 text-sm">
          <Link href={`/reconciliation?starting_after=${encodeURIComponent(last.id)}`} className="text-brand-700 hover:underline">Older runs</Link>
        </p>
      )}
    </>
  );
}
