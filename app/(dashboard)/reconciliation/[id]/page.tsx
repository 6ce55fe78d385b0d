import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState, PageHeader } from "@/components/page-header";
import { classLabel, ReconciliationDiscrepancyTable } from "@/components/reconciliation-discrepancy-table";
import { ReconciliationTotals } from "@/components/reconciliation-totals";
import { TimeStamp } from "@/components/time-stamp";
import { AppError } from "@/lib/api/errors";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { getRunOrThrow, listDiscrepancies } from "@/lib/reconciliation/list-runs";
import { DISCREPANCY_CLASSES, ZListDiscrepanciesQuery } from "@/lib/reconciliation/reconciliation.types";

export const metadata: Metadata = { title: "Reconciliation run" };
export const dynamic = "force-dynamic";

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const PAGE_SIZE = 50;

export default async function ReconciliationRunPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const user = await getDashboardUser();
  if (!user) redirect("/sign-in"); // the layout redirects too; pages render alongside it
  const { id } = await params;
  const raw = await searchParams;
  const pick = (name: string) => (typeof raw[name] === "string" && raw[name] !== "" ? (raw[name] as string) : undefined);
  const filters = { class: pick("class"), status: pick("status") };
  const query = ZListDiscrepanciesQuery.safeParse({ limit: String(PAGE_SIZE), ...filters, ...(pick("starting_after") ? { starting_after: pick("starting_after") } : {}) });
  const run = await getRunOrThrow(user.merchantId, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "resource_missing") return null;
    throw error;
  });
  if (!run) {
    return (
      <>
        <PageHeader title="Reconciliation run" />
        <EmptyState title="There is no such run.">
          <Link href="/reconciliation" className="text-brand-700 hover:underline">Back to reconciliation</Link>
        </EmptyState>
      </>
    );
  }
  const list = await listDiscrepancies(user.merchantId, run.id, query.success ? query.data : { limit: PAGE_SIZE });
  const last = list.data.at(-1);
  const keep = Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)) as Record<string, string>;
  // The export takes the same class/status filters (only valid ones: an invalid filter lists everything here too).
  const csvQuery = query.success ? new URLSearchParams(keep).toString() : "";
  return (
    <>
      <p className="mb-2 text-sm"><Link href="/reconciliation" className="text-brand-700 hover:underline">← Reconciliation</Link></p>
      <PageHeader
        title={`Run for ${run.period_start.slice(0, 10)}${run.currency ? ` (${run.currency})` : ""}`}
        description={`Version ${run.version}${run.current ? " (current)" : ""} · ${run.source === "report" ? `settlement report${run.report_filename ? ` ${run.report_filename}` : ""}` : "PSP API"} · period ${run.period_start} to ${run.period_end} (exclusive)`}
      />
      <dl className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="run-summary">
        {[
          ["State", <span key="s" className="capitalize">{run.state}</span>],
          ["PSP records", run.psp_record_count],
          ["Settle records", run.settle_record_count],
          ["Matched", run.matched_count],
          ["Discrepancies", run.discrepancy_count],
          ["Open", run.unexplained_count],
        ].map(([label, value]) => (
          <div key={String(label)} className="rounded-xl border border-slate-200 bg-white px-4 py-3">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="mb-6 text-sm text-slate-600">
        Started <TimeStamp iso={run.started_at} />, finished <TimeStamp iso={run.finished_at} />
        {run.duration_ms !== null && <> in {(run.duration_ms / 1000).toFixed(1)} s</>}.
        {run.error && <span role="alert" className="ml-2 text-red-700">Last error: {run.error}</span>}
      </p>
      <ReconciliationTotals totals={run.totals ?? []} />
      <section aria-labelledby="discrepancies-heading" className="mt-8">
        <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="discrepancies-heading" className="text-sm font-semibold text-slate-900">Discrepancies</h2>
          <a href={`/api/dashboard/reconciliation/runs/${run.id}/discrepancies.csv${csvQuery ? `?${csvQuery}` : ""}`} download
            className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700" data-testid="discrepancies-csv">
            Export CSV<span className="sr-only"> of this run&apos;s discrepancies{csvQuery ? " (filtered)" : ""}</span>
          </a>
        </div>
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter discrepancies">
          <div>
            <label htmlFor="filter-class" className="block text-sm font-medium text-slate-700">Class</label>
            <select id="filter-class" name="class" defaultValue={filters.class ?? ""} className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
              <option value="">All classes</option>
              {DISCREPANCY_CLASSES.map((klass) => <option key={klass} value={klass}>{classLabel(klass)}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="filter-status" className="block text-sm font-medium text-slate-700">Status</label>
            <select id="filter-status" name="status" defaultValue={filters.status ?? ""} className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
              <option value="">Any status</option>
              <option value="open">Open</option>
              <option value="resolved">Resolved</option>
            </select>
          </div>
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50">Filter</button>
        </form>
        {!query.success && <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">Those filters are not valid; showing everything.</p>}
        <ReconciliationDiscrepancyTable discrepancies={list.data} canResolve={can(user.role, "resolveDiscrepancy")} />
        {list.has_more && last && (
          <p className="mt-4 text-sm">
            <Link href={`/reconciliation/${run.id}?${new URLSearchParams({ ...keep, starting_after: last.id })}`} className="text-brand-700 hover:underline">Next page</Link>
          </p>
        )}
      </section>
    </>
  );
}
