// Back-pressure: when the background queue (pg-boss) has more jobs due than the worker is getting through,
// mutating API calls answer 503 `overloaded` with Retry-After instead of adding more work behind them
// (each payment, refund or transfer enqueues follow-ups). Reads are not refused, nor unauthenticated
// intake (PSP webhooks: the PSP retries them, and they are what drains the backlog).
// The backlog is counted at most once per BACKLOG_CACHE_MS per process, bounded by the threshold (it
// stops counting at QUEUE_BACKLOG_MAX + 1), so the check costs one cheap query every few seconds.
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log/logger";

const BACKLOG_CACHE_MS = 2_000;

type Cached = { at: number; max: number; backlog: number };
const state = globalThis as unknown as { __settleBacklog?: Cached; __settleBacklogQuery?: Promise<number> };

/** Jobs due now (created or retry, start time passed) in every queue, counted up to `limit`. */
export async function countQueueBacklog(limit: number): Promise<number> {
  const { rows } = await sqlPool().query<{ backlog: number }>(
    `select case when to_regclass('pgboss.job') is null then 0 else (
       select count(*)::int from (select 1 from pgboss.job where state in ('created', 'retry') and start_after <= now() limit $1) due
     ) end as backlog`,
    [limit],
  );
  return rows[0]?.backlog ?? 0;
}

async function cachedBacklog(max: number): Promise<number> {
  const now = Date.now();
  const cached = state.__settleBacklog;
  if (cached && cached.max === max && now - cached.at < BACKLOG_CACHE_MS) return cached.backlog;
  state.__settleBacklogQuery ??= countQueueBacklog(max + 1)
    .then((backlog) => {
      state.__settleBacklog = { at: Date.now(), max, backlog };
      return backlog;
    })
    .finally(() => {
      state.__settleBacklogQuery = undefined;
    });
  return state.__settleBacklogQuery;
}

/** Throws AppError("overloaded") when the due backlog is above QUEUE_BACKLOG_MAX (0 turns the check off). */
export async function assertQueueHasRoom(max = getEnv().QUEUE_BACKLOG_MAX): Promise<void> {
  if (max <= 0) return;
  let backlog: number;
  try {
    backlog = await cachedBacklog(max);
  } catch (error) {
    // The database itself is in trouble: the request will meet that on its own path; don't add a failure here.
    logger.debug({ err: error }, "queue backlog check failed");
    return;
  }
  if (backlog > max) {
    throw new AppError("overloaded", `Settle is processing a backlog of background work (more than ${max} jobs due). Retry the request shortly; with the same Idempotency-Key it will not run twice.`);
  }
}

/** For tests: forget the cached count. */
export function forgetQueueBacklog(): void {
  state.__settleBacklog = undefined;
}
