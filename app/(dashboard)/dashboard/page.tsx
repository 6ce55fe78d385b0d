import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { getDashboardUser } from "@/lib/auth/session";
import { getReadiness } from "@/lib/ops/readiness";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const [user, readiness] = await Promise.all([getDashboardUser(), getReadiness()]);
  return (
    <>
      <PageHeader title="Overview" description={`Signed in to ${user?.merchantName ?? "your merchant"}.`} />
      <section aria-labelledby="health" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="health" className="text-sm font-semibold text-slate-900">System health</h2>
        <ul className="mt-3 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {Object.entries(readiness.checks).map(([name, check]) => (
            <li key={name} className="flex items-center gap-2 text-sm">
              <span aria-hidden="true" className={`h-2 w-2 rounded-full ${check.ok ? "bg-emerald-500" : "bg-red-500"}`} />
              <span className="capitalize">{name.replace(/_/g, " ")}</span>
              <span className={check.ok ? "text-slate-500" : "text-red-700"}>{check.ok ? "OK" : check.detail ?? "failing"}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
