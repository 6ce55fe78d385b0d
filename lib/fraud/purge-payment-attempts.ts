// Retention of the fraud attempt history: an attempt (pseudonymous card fingerprint, email and IP
// pseudonyms, amount, result) is kept FRAUD_ATTEMPT_RETENTION_DAYS after it occurred, then deleted. The
// age is taken from occurred_at because every reader's window is on occurred_at (velocity, geolocation and
// the model look back 30 days, AML structuring up to 90), and the retention cannot be set below the
// longest of them (lib/env.ts), so a purge never removes a row an assessment could still count.
// Batched as lib/db/purge-pass.ts describes; rows locked by a running erasure are skipped and go on the
// next pass.
import { type PurgePassOptions, startPurgePass } from "@/lib/db/purge-pass";
import { getEnv } from "@/lib/env";

export type PurgePaymentAttemptsResult = { deleted: number; cutoff: string; done: boolean };

/**
 * Deletes payment attempts that occurred before `now - retentionDays`. `done` is false when the pass ran
 * out of time (or `maxBatches`) with rows possibly left.
 */
export async function purgeExpiredPaymentAttempts(options: PurgePassOptions = {}): Promise<PurgePaymentAttemptsResult> {
  const { pool, cutoff, batchRows, mayRunBatch } = startPurgePass(options, () => getEnv().FRAUD_ATTEMPT_RETENTION_DAYS);
  let deleted = 0;
  for (;;) {
    if (!mayRunBatch()) return { deleted, cutoff: cutoff.toISOString(), done: false };
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
