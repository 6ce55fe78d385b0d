// One pass of a batched retention purge (fraud attempt history, reconciliation staging rows): the cutoff
// from the retention setting, the rows per DELETE, and when the pass stops. Rows go in small batches, each
// its own short statement (no long lock on a big table, vacuum keeps up); a pass stops after PURGE_PASS_MS
// or `maxBatches` and the next scheduled pass continues where it left off.
import type pg from "pg";
import { sqlPool } from "./client";

const DAY_MS = 86_400_000;
/** Rows per DELETE, at most. */
export const PURGE_BATCH_ROWS = 5_000;
/** One pass stops after this long; the next scheduled pass continues. */
const PURGE_PASS_MS = 5 * 60_000;

export type PurgePassOptions = { now?: Date; retentionDays?: number; batchRows?: number; maxBatches?: number; passMs?: number; client?: pg.Pool };

export type PurgePass = {
  pool: pg.Pool;
  /** Rows older than this (by the purge's own age column) are past retention. */
  cutoff: Date;
  /** Rows per DELETE: the option clamped to 1 … PURGE_BATCH_ROWS. */
  batchRows: number;
  /** Call before each DELETE: false once the pass is out of time or batches (rows may be left). */
  mayRunBatch(): boolean;
};

/** `defaultRetentionDays` is read only when the options give no retentionDays. */
export function startPurgePass(options: PurgePassOptions, defaultRetentionDays: () => number): PurgePass {
  const retentionDays = options.retentionDays ?? defaultRetentionDays();
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  const deadline = performance.now() + (options.passMs ?? PURGE_PASS_MS);
  let batches = 0;
  return {
    pool: options.client ?? sqlPool(),
    cutoff: new Date((options.now ?? new Date()).getTime() - retentionDays * DAY_MS),
    batchRows: Math.min(Math.max(options.batchRows ?? PURGE_BATCH_ROWS, 1), PURGE_BATCH_ROWS),
    mayRunBatch: () => batches++ < maxBatches && performance.now() <= deadline,
  };
}
