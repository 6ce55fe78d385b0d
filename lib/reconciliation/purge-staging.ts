// Retention of the staging table: a finished run (completed or failed) keeps its staged PSP rows for
// RECONCILIATION_STAGING_RETENTION_DAYS, then the rows go. Nothing a report needs is lost: the run keeps
// its totals and counts, and every discrepancy carries its own copy of both sides' records (psp_record,
// settle_record), so the API, the CSV export and the dashboard never read the staging table. Runs still in
// progress (pending … matched) keep their rows whatever their age: a resumed run matches them.
// Batched as lib/db/purge-pass.ts describes.
import { type PurgePassOptions, startPurgePass } from "@/lib/db/purge-pass";
import { getEnv } from "@/lib/env";

export type PurgeStagingResult = { runs: number; rows: number; done: boolean };

/**
 * Deletes the staged rows of runs finished before `now - retentionDays`, oldest run first. `done` is
 * false when the pass ran out of time (or `maxBatches`) with rows left.
 */
export async function purgeStagingRows(options: PurgePassOptions = {}): Promise<PurgeStagingResult> {
  const { pool, cutoff, batchRows, mayRunBatch } = startPurgePass(options, () => getEnv().RECONCILIATION_STAGING_RETENTION_DAYS);
  let rows = 0;
  const runsTouched = new Set<string>();
  for (;;) {
    // Finished runs past retention that still have staged rows (the EXISTS probe is one index lookup).
    const { rows: runs } = await pool.query<{ id: string }>(
      `SELECT r.id FROM reconciliation_runs r
       WHERE r.state IN ('completed', 'failed') AND coalesce(r.finished_at, r.updated_at) < $1
         AND EXISTS (SELECT 1 FROM reconciliation_psp_records p WHERE p.run_id = r.id)
       ORDER BY coalesce(r.finished_at, r.updated_at), r.id LIMIT 100`,
      [cutoff],
    );
    if (runs.length === 0) return { runs: runsTouched.size, rows, done: true };
    for (const run of runs) {
      runsTouched.add(run.id);
      for (;;) {
        if (!mayRunBatch()) return { runs: runsTouched.size, rows, done: false };
        // The state is re-checked in the statement: a run re-opened meanwhile keeps its rows.
        const result = await pool.query(
          `DELETE FROM reconciliation_psp_records WHERE id IN (
             SELECT p.id FROM reconciliation_psp_records p WHERE p.run_id = $1
               AND EXISTS (SELECT 1 FROM reconciliation_runs r WHERE r.id = $1 AND r.state IN ('completed', 'failed'))
             LIMIT $2)`,
          [run.id, batchRows],
        );
        rows += result.rowCount ?? 0;
        if ((result.rowCount ?? 0) < batchRows) break;
      }
    }
  }
}
