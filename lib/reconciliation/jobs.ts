// Reconciliation's background jobs: yesterday's run for every merchant each night, resuming runs
// whose worker died mid-phase (their checkpoints say where to continue), and the staging retention.
import { db } from "@/lib/db/client";
import { registerJob } from "@/lib/jobs/job-registry";
import { logger } from "@/lib/log/logger";
import { createReconciliationRun, executeReconciliationRun, findStalledRuns, resolvePeriod } from "./execute-run";
import { purgeStagingRows } from "./purge-staging";

/** A run with no progress for this long is taken over by the resume job. */
const STALLED_AFTER_MS = 10 * 60_000;
/** Merchants reconciled per nightly pass; the cursor continues on the next pass if there are more. */
const MERCHANTS_PER_PASS_MAX = 1_000;

/** Yesterday's run for each merchant that does not have a completed one yet (re-running the job is harmless). */
export async function runDailyReconciliation(now = new Date()): Promise<{ started: number; failed: number }> {
  const { periodStart, periodEnd } = resolvePeriod(undefined, undefined, now);
  const merchants = await db().merchant.findMany({ select: { id: true }, orderBy: { id: "asc" }, take: MERCHANTS_PER_PASS_MAX });
  let started = 0;
  let failed = 0;
  for (const merchant of merchants) {
    const existing = await db().reconciliationRun.findFirst({
      where: { merchantId: merchant.id, periodStart, periodEnd, currencyScope: "ALL", state: { not: "failed" } },
      select: { id: true },
    });
    if (existing) continue;
    const run = await createReconciliationRun({ merchantId: merchant.id, periodStart, periodEnd, source: "psp_api", actor: { type: "system", id: "reconciliation.daily" } });
    started++;
    await executeReconciliationRun(run.id).catch((error: unknown) => {
      failed++;
      logger.error({ err: error, runId: run.id }, "daily reconciliation run failed; the resume job retries it");
    });
  }
  return { started, failed };
}

export async function resumeStalledRuns(): Promise<{ resumed: number }> {
  const ids = await findStalledRuns(STALLED_AFTER_MS);
  for (const id of ids) await executeReconciliationRun(id).catch((error: unknown) => logger.error({ err: error, runId: id }, "resuming reconciliation run failed"));
  return { resumed: ids.length };
}

registerJob({ name: "reconciliation.daily", cron: "30 2 * * *", retryLimit: 3, handler: async () => runDailyReconciliation() });
registerJob({ name: "reconciliation.resume-stalled", cron: "*/10 * * * *", handler: async () => resumeStalledRuns() });
// Staged PSP rows of runs finished more than RECONCILIATION_STAGING_RETENTION_DAYS ago (hourly: a pass
// stops after 5 minutes and the next one continues).
registerJob({ name: "reconciliation.purge-staging", cron: "17 * * * *", handler: async () => purgeStagingRows() });
