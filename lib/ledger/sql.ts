// The ledger's raw-SQL seam: one query function over either a Prisma interactive transaction (the API
// wrapper's `tx`) or a pg client/pool, the SQLSTATEs we react to, and bounded retries with jitter.
import type pg from "pg";
import { AppError } from "@/lib/api/errors";
import type { Tx } from "@/lib/db/client";

/** Anything the ledger can run SQL on: a Prisma transaction client, a pg client, or the pg pool (autocommit). */
export type SqlClient = Tx | pg.ClientBase | pg.Pool;

/**
 * Runs one parameterised statement. Columns come back as bigint (INT8), Date (timestamptz), objects (json).
 * `name` makes it a named prepared statement on pg connections (planned once per connection); the
 * Prisma path plans every time.
 */
export async function querySql<T>(client: SqlClient, sql: string, params: readonly unknown[] = [], name?: string): Promise<T[]> {
  if ("$queryRawUnsafe" in client) return client.$queryRawUnsafe<T[]>(sql, ...params);
  const result = await client.query(name ? { name, text: sql, values: params as unknown[] } : { text: sql, values: params as unknown[] });
  return result.rows as T[];
}

export const SQLSTATE = {
  serializationFailure: "40001",
  deadlockDetected: "40P01",
  lockNotAvailable: "55P03",
  uniqueViolation: "23505",
  checkViolation: "23514",
  foreignKeyViolation: "23503",
  insufficientPrivilege: "42501",
} as const;

/** The SQLSTATE of a pg error, or of one wrapped by Prisma's driver adapter; undefined otherwise. */
export function sqlStateOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const candidate = current as {
      code?: unknown;
      originalCode?: unknown;
      meta?: { code?: unknown; driverAdapterError?: unknown };
      cause?: unknown;
    };
    for (const code of [candidate.originalCode, candidate.code, candidate.meta?.code]) {
      if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    }
    current = candidate.meta?.driverAdapterError ?? candidate.cause;
  }
  return undefined;
}

/** The constraint name PostgreSQL reported, when there is one. */
export function constraintOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const candidate = current as { constraint?: unknown; message?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };
    if (typeof candidate.constraint === "string") return candidate.constraint;
    current = candidate.meta?.driverAdapterError ?? candidate.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.match(/constraint "([^"]+)"/)?.[1];
}

const RETRYABLE = new Set<string>([SQLSTATE.serializationFailure, SQLSTATE.deadlockDetected, SQLSTATE.lockNotAvailable]);

export function isRetryableSqlError(error: unknown): boolean {
  if (error instanceof AppError) return error.code === "lock_timeout";
  const state = sqlStateOf(error);
  return state !== undefined && RETRYABLE.has(state);
}

/** Turns lock conflicts into the API's retry-safe error; everything else passes through unchanged. */
export function toLockTimeout(error: unknown): unknown {
  if (error instanceof AppError || !isRetryableSqlError(error)) return error;
  return new AppError("lock_timeout", "The ledger was busy with conflicting postings. Retry the request with the same Idempotency-Key.", {
    cause: error,
  });
}

export const LEDGER_RETRY_ATTEMPTS_MAX = 5;
const RETRY_BASE_DELAY_MS = 4;
const RETRY_DELAY_CAP_MS = 250;

/**
 * Runs `work` (one whole database transaction) again after a serialization failure or deadlock, up to
 * LEDGER_RETRY_ATTEMPTS_MAX times with exponential backoff and full jitter; then `lock_timeout`.
 */
export async function withLedgerRetry<T>(work: (attempt: number) => Promise<T>, attemptsMax = LEDGER_RETRY_ATTEMPTS_MAX): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!isRetryableSqlError(error)) throw error;
      if (attempt >= attemptsMax) {
        throw new AppError("lock_timeout", `The ledger stayed busy with conflicting postings after ${attempt} attempts. Retry later.`, { cause: error });
      }
      const ceilingMs = Math.min(RETRY_DELAY_CAP_MS, RETRY_BASE_DELAY_MS * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
    }
  }
}

/** Runs `work` in a transaction of its own on a pooled pg client: BEGIN … COMMIT, ROLLBACK on error. */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
