// The dashboard.fold-rollup job: moves the deltas that triggers on payments, refunds and disputes append
// (dashboard_daily_deltas) into the per-day totals, in batches, through dashboard_fold_deltas() (SQL in
// the migration 20261126135252_dashboard_rollup_and_indexes). Reads are exact without it (they add the
// unfolded deltas); folding keeps those reads short.
import { sqlPool } from "@/lib/db/client";

export const FOLD_BATCH_SIZE = 10_000;
/** Per run, so one run cannot hold the worker for long after a backlog (the next run continues). */
export const FOLD_BATCHES_MAX = 50;

/** Returns the number of deltas folded; stops early when another folder holds the lock. */
export async function foldDailyRollup(options: { batchSize?: number; batchesMax?: number } = {}): Promise<{ folded: number; busy: boolean }> {
  const batchSize = options.batchSize ?? FOLD_BATCH_SIZE;
  const batchesMax = options.batchesMax ?? FOLD_BATCHES_MAX;
  let folded = 0;
  for (let batch = 0; batch < batchesMax; batch++) {
    const { rows } = await sqlPool().query<{ folded: string }>(`SELECT dashboard_fold_deltas($1)::text AS folded`, [batchSize]);
    const count = Number(rows[0]!.folded);
    if (count < 0) return { folded, busy: true };
    folded += count;
    if (count < batchSize) break;
  }
  return { folded, busy: false };
}

/** Recomputes the rollup from the rows (after a bulk load that bypassed triggers). Writers wait meanwhile. */
export async function rebuildDailyRollup(): Promise<void> {
  await sqlPool().query(`SELECT dashboard_rollup_rebuild()`);
}
