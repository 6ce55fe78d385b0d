// Retention of the fraud attempt history: an attempt (pseudonymous card fingerprint, email and IP
// pseudonyms, amount, result) is kept FRAUD_ATTEMPT_RETENTION_DAYS after it occurred, then deleted. The
// age is taken from occurred_at because every reader's window is on occurred_at (velocity, geolocation and
// the model look back 30 days, AML structuring up to 90), and the retention cannot be set below the
// longest of them (lib/env.ts), so a purge never removes a row an assessment could still count.
// Rows go in small batches, each its own short statement (no long lock on a big table, vacuum keeps up);
// rows locked by a running erasure are skipped and go on the next pass.
import type pg from "pg";
import { sqlPool } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

const DAY_MS = 86_400_000;
/** Rows per DELETE. */
export const PURGE_BATCH_ROWS = 5_000;
/** One pass stops after this long; the next scheduled pass continues. */
const PURGE_PASS_MS = 5 * 60_000;

export type PurgePaymentAttemptsResult = { deleted: number; cutoff: string; done: boolean };

/**
 * Deletes payment attempts that occurred before `now - retentionDays`. `done` is false when the pass ran
 * out of time (or `maxBatches`) with rows possibly left.
 */
export async function purgeExpiredPaymentAttempts(
  options: { now?: Date; retentionDays?: number; batchRows?: number; maxBatches?: number; passMs?: number; client?: pg.Pool } = {},
): Promise<PurgePaymentAttemptsResult> {
  const pool = options.client ?? sqlPool();
  const retentionDays = options.retentionDays ?? getEnv().FRAUD_ATTEMPT_RETENTION_DAYS;
  const cutoff = new Date((options.now ?? new Date()).getTime() - retentionDays * DAY_MS);
  const batchRows = Math.min(Math.max(options.batchRows ?? PURGE_BATCH_ROWS, 1), PURGE_BATCH_ROWS);
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  const deadline = performance.now() + (options.passMs ?? PURGE_PASS_MS);
  let deleted = 0;
  for (let batches = 0; ; batches++) {
    if (batches >= maxBatches || performance.now() > deadline) return { deleted, cutoff: cutoff.toISOString(), done: false };
    const result = await pool.query(
      `DELETE FROM risk_payment_attempts WHERE id IN (
         SELECT id FROM risk_payment_attempts WHERE occurred_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [cutoff, batchRows],
    );
    const count = result.rowCount ?? 0;
    deleted += count;
    if (count < batchRows) return { deleted, cutoff: cutoff.toISOString(), done: true };
  }
}
