import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { BarChart } from "@/components/charts-bar";
import { EmptyState, PageHeader } from "@/components/page-header";
import { getDashboardUser } from "@/lib/auth/session";
import { localeFromAcceptLanguage, money } from "@/lib/dashboard/format";
import { getOverview, OVERVIEW_PERIODS, parsePeriod } from "@/lib/dashboard/get-overview";
import { getReadiness } from "@/lib/ops/readiness";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-1 text-lg font-semibold tabular-nums text-slate-900" data-testid={testId}>{value}</dd>
    </div>
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, params, requestHeaders] = await Promise.all([getDashboardUser(), searchParams, headers()]);
  if (!user) redirect("/sign-in"); // the layout redirects too; pages render alongside it
  const period = parsePeriod(params.period);
  const locale = localeFromAcceptLanguage(requestHeaders.get("accept-language"));
  const [overview, readiness] = await Promise.all([getOverview(user!.merchantId, period), getReadiness()]);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const dayFormat = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }); // one per view, not per chart point
  const shortDay = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));
  return (
    <>
      <PageHeader
        title="Overview"
        description={`${user?.merchantName ?? "Your merchant"}: the last ${period} days (UTC days).`}
        actions={
          <nav aria-label="Period" className="flex rounded-md border border-slate-300 bg-white p-0.5 text-sm">
            {OVERVIEW_PERIODS.map((days) => (
              <Link key={days} href={`/dashboard?period=${days}`} aria-current={days === period ? "page" : undefined}
                className={`rounded px-3 py-1.5 font-medium ${days === period ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}>
                {days} days
              </Link>
            ))}
          </nav>
        }
      />

      <section aria-labelledby="balances-heading" className="mb-6 rounded-xl border border-slate-200 bg-white p-5">
        <div className="flex items-baseline justify-between">
          <h2 id="balances-heading" className="text-sm font-semibold text-slate-900">Balances</h2>
          <Link href="/balances" className="text-sm font-medium text-brand-700 underline">Accounts and transfers</Link>
        </div>
        {overview.balances.length === 0 ? <p className="mt-2 text-sm text-slate-600">No balances yet.</p> : (
          <table className="mt-3 w-full max-w-xl text-sm" data-testid="overview-balances">
            <caption className="sr-only">Balances per currency</caption>
            <thead className="text-xs uppercase text-slate-600"><tr><th scope="col" className="text-left">Currency</th><th scope="col" className="text-right">Available</th><th scope="col" className="text-right">Pending</th></tr></thead>
            <tbody className="divide-y divide-slate-100">
              {overview.balances.map((b) => (
                <tr key={b.currency}><th scope="row" className="py-1.5 text-left font-medium">{b.currency}</th><td className="text-right tabular-nums">{money(b.availableMinor, b.currency, locale)}</td><td className="text-right tabular-nums">{money(b.pendingMinor, b.currency, locale)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {overview.currencies.length === 0 ? (
        <EmptyState title={`No payments in the last ${period} days`}>Charts appear once customers pay. Create a checkout session with the API to take a first payment.</EmptyState>
      ) : (
        overview.currencies.map((c) => {
          const fmt = (minor: bigint) => money(minor, c.currency, locale);
          const series = (pick: (p: (typeof c.days)[number]) => bigint) => c.days.map((p) => ({ label: shortDay(p.day), value: pick(p), display: fmt(pick(p)) }));
          const rate = c.days.map((p) => {
            const attempts = p.succeeded + p.failed;
            return { label: shortDay(p.day), value: attempts === 0 ? 0 : p.succeeded / attempts, display: attempts === 0 ? "no attempts" : percent.format(p.succeeded / attempts) };
          });
          return (
            <section key={c.currency} aria-labelledby={`volume-${c.currency}`} className="mb-6 rounded-xl border border-slate-200 bg-white p-5" data-testid={`overview-${c.currency}`}>
              <h2 id={`volume-${c.currency}`} className="text-sm font-semibold text-slate-900">{c.currency}</h2>
              <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
                <Stat label="Gross volume" value={fmt(c.totals.grossMinor)} testId={`gross-${c.currency}`} />
                <Stat label="Net" value={fmt(c.totals.netMinor)} />
                <Stat label="Refunds" value={fmt(c.totals.refundsMinor)} />
                <Stat label={`Disputes (${c.totals.disputeCount})`} value={fmt(c.totals.disputesMinor)} />
                <Stat label="Success rate" value={c.totals.successRate === null ? "—" : percent.format(c.totals.successRate)} />
              </dl>
              <div className="mt-4 grid gap-6 lg:grid-cols-2">
                <BarChart title="Gross volume" points={series((p) => p.grossMinor)} summary={`${fmt(c.totals.grossMinor)} over ${period} days`} />
                <BarChart title="Net" tone="emerald" points={series((p) => (p.netMinor > 0n ? p.netMinor : 0n))} summary={`${fmt(c.totals.netMinor)} over ${period} days`} />
                <BarChart title="Refunds" tone="violet" points={series((p) => p.refundsMinor)} summary={`${fmt(c.totals.refundsMinor)} over ${period} days`} />
                <BarChart title="Disputes" tone="red" points={series((p) => p.disputesMinor)} summary={`${c.totals.disputeCount} disputes, ${fmt(c.totals.disputesMinor)}`} />
                <BarChart title="Success rate" tone="emerald" points={rate} summary={c.totals.successRate === null ? "no attempts" : `${percent.format(c.totals.successRate)} of ${c.totals.succeeded + c.totals.failed} attempts succeeded`} />
              </div>
            </section>
          );
        })
      )}

      <section aria-labelledby="health" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="health" className="text-sm font-semibold text-slate-900">System health</h2>
        <ul className="mt-3 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {Object.entries(readiness.checks).map(([name, check]) => (
            <li key={name} className="flex items-center gap-2 text-sm">
              <span aria-hidden="true" className={`h-2 w-2 rounded-full ${check.ok ? "bg-emerald-500" : "bg-red-500"}`} />
              <span className="capitalize">{name.replace(/_/g, " ")}</span>
              <span className={check.ok ? "text-slate-600" : "text-red-700"}>{check.ok ? "OK" : check.detail ?? "failing"}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
