// Stripe-style idempotency for mutating API calls (and the IETF Idempotency-Key draft):
// same key + same request → the first response, byte for byte; same key + other request → 422;
// same key while the first is running → 409. Validation failures never reach here, so are not stored.
import { createHash } from "node:crypto";
import { AppError, errorBody } from "@/lib/api/errors";
import { db, sqlPool, type Tx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { openResponseBody, sealResponseBody } from "./sealed-response";

export type StoredResponse = { status: number; body: string };
export type IdempotentOutcome = StoredResponse & { replayed: boolean };

export type IdempotencyScope = {
  merchantId: string;
  endpoint: string;
  key: string;
  fingerprint: string;
  requestId: string;
};

/** An in-progress key whose request has not finished in this long may be resumed by a retry. */
const STALE_LOCK_MS = 60_000;

function aad(scope: IdempotencyScope): string {
  return `${scope.merchantId}\n${scope.endpoint}\n${scope.key}`;
}

/** The transaction-scoped advisory lock that serialises requests with one key (same in every mode). */
export function lockId(scope: IdempotencyScope): bigint {
  const digest = createHash("sha256").update(`${scope.merchantId}\n${scope.endpoint}\n${scope.key}`).digest();
  return digest.readBigInt64BE(0);
}

async function tryLock(tx: Tx, scope: IdempotencyScope): Promise<boolean> {
  const rows = await tx.$queryRaw<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(${lockId(scope)}) as locked`;
  return rows[0]?.locked === true;
}

export function inUse(): AppError {
  return new AppError(
    "idempotency_key_in_use",
    "A request with this Idempotency-Key is still being processed. Retry once it has finished.",
  );
}

async function findExisting(tx: Tx, scope: IdempotencyScope) {
  return tx.idempotencyKey.findUnique({
    where: { merchantId_endpoint_key: { merchantId: scope.merchantId, endpoint: scope.endpoint, key: scope.key } },
    select: { id: true, fingerprint: true, status: true, responseStatus: true, responseBody: true, lockedAt: true },
  });
}

export function keyReused(): AppError {
  return new AppError(
    "idempotency_key_reused",
    "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than the one used on the original request.",
  );
}

function checkFingerprint(existing: { fingerprint: string }, scope: IdempotencyScope): void {
  if (existing.fingerprint !== scope.fingerprint) throw keyReused();
}

/** A response sealed for storage under this key (what every mode writes to idempotency_keys.response_body). */
export function sealStoredResponse(scope: IdempotencyScope, body: string): string {
  return sealResponseBody(body, aad(scope));
}

/** A stored response body opened for replay. */
export function openStoredResponse(scope: IdempotencyScope, stored: string): string {
  return openResponseBody(stored, aad(scope));
}

export function expiresAt(): Date {
  return new Date(Date.now() + getEnv().IDEMPOTENCY_KEY_TTL_HOURS * 3_600_000);
}

/** Errors that are the request's answer (stored and replayed), as opposed to transient failures. */
function isFinalError(error: unknown): error is AppError {
  return error instanceof AppError && !["lock_timeout", "psp_unavailable", "internal_error", "idempotency_key_in_use"].includes(error.code);
}

async function storeFinalError(scope: IdempotencyScope, error: AppError): Promise<StoredResponse> {
  const response = { status: error.status, body: JSON.stringify(errorBody(error, scope.requestId)) };
  await db().$transaction(async (tx) => {
    if (!(await tryLock(tx, scope))) throw inUse();
    await tx.idempotencyKey.upsert({
      where: { merchantId_endpoint_key: { merchantId: scope.merchantId, endpoint: scope.endpoint, key: scope.key } },
      create: {
        merchantId: scope.merchantId, endpoint: scope.endpoint, key: scope.key, fingerprint: scope.fingerprint,
        status: "completed", responseStatus: response.status, responseBody: sealResponseBody(response.body, aad(scope)), requestId: scope.requestId,
        completedAt: new Date(), expiresAt: expiresAt(),
      },
      update: { status: "completed", responseStatus: response.status, responseBody: sealResponseBody(response.body, aad(scope)), completedAt: new Date(), lockedAt: null },
    });
  });
  return response;
}

/**
 * For local work (ledger transfers): the key record, the business effect and the stored response
 * commit in one database transaction. `work` must do all its writes through the given `tx`.
 */
export async function runIdempotentAtomic(
  scope: IdempotencyScope,
  work: (tx: Tx) => Promise<StoredResponse>,
): Promise<IdempotentOutcome> {
  try {
    return await db().$transaction(
      async (tx) => {
        if (!(await tryLock(tx, scope))) throw inUse();
        const existing = await findExisting(tx, scope);
        if (existing) {
          checkFingerprint(existing, scope);
          if (existing.status === "completed") return { status: existing.responseStatus!, body: openResponseBody(existing.responseBody!, aad(scope)), replayed: true };
          throw inUse();
        }
        const response = await work(tx);
        await tx.idempotencyKey.create({
          data: {
            merchantId: scope.merchantId, endpoint: scope.endpoint, key: scope.key, fingerprint: scope.fingerprint,
            status: "completed", responseStatus: response.status, responseBody: sealResponseBody(response.body, aad(scope)), requestId: scope.requestId,
            completedAt: new Date(), expiresAt: expiresAt(),
          },
          select: { id: true },
        });
        return { ...response, replayed: false };
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (isFinalError(error) && !["idempotency_key_reused"].includes(error.code)) {
      return { ...(await storeFinalError(scope, error)), replayed: false };
    }
    throw error;
  }
}

/**
 * For local work that claims the key, does its effect and stores its response in ONE statement of its own
 * (POST /api/v1/transfers: lib/ledger/post-transfers.ts, the SQL function ledger_post_transfers): the same
 * protocol as runIdempotentAtomic (advisory try-lock on the key, then the stored key decides: replay, 422 or
 * 409), inside that statement, so key record, effect and response commit together in one round trip. `work`
 * returns the outcome or throws; a final error is stored for replay here, exactly as runIdempotentAtomic does.
 */
export async function runIdempotentInStatement(
  scope: IdempotencyScope,
  work: () => Promise<IdempotentOutcome>,
): Promise<IdempotentOutcome> {
  try {
    return await work();
  } catch (error) {
    if (isFinalError(error) && !["idempotency_key_reused"].includes(error.code)) {
      return { ...(await storeFinalError(scope, error)), replayed: false };
    }
    throw error;
  }
}

/**
 * The common case of runIdempotentExternal in one statement: a key never seen is recorded as in progress
 * under the key's advisory lock (the same protocol as every mode). Returns false when the key exists or the
 * lock is held; claimExistingKey then decides in a transaction of its own, reading after it holds the lock
 * (this statement's snapshot can be older than a claim committed just before it took the lock: the unique
 * key with ON CONFLICT DO NOTHING keeps that race to one claim, and the loser goes the long way).
 */
async function claimNewKey(scope: IdempotencyScope): Promise<boolean> {
  const { rows } = await sqlPool().query<{ inserted: boolean }>({
    name: "idempotency_claim_new_v1",
    text: `with lock as (select pg_try_advisory_xact_lock($1::bigint) as locked),
                inserted as (
                  insert into idempotency_keys (merchant_id, endpoint, key, fingerprint, status, request_id, locked_at, expires_at)
                  select $2, $3, $4, $5, 'in_progress', $6, now(), $7 from lock
                  where lock.locked and not exists (select 1 from idempotency_keys where merchant_id = $2 and endpoint = $3 and key = $4)
                  on conflict (merchant_id, endpoint, key) do nothing
                  returning 1)
           select exists (select 1 from inserted) as inserted`,
    values: [lockId(scope).toString(), scope.merchantId, scope.endpoint, scope.key, scope.fingerprint, scope.requestId, expiresAt()],
  });
  return rows[0]?.inserted === true;
}

/** A key that exists (or is locked): replay, 422, 409, or resume a stale in-progress claim. */
async function claimExistingKey(scope: IdempotencyScope): Promise<IdempotentOutcome | null> {
  return db().$transaction(async (tx) => {
    if (!(await tryLock(tx, scope))) throw inUse();
    const existing = await findExisting(tx, scope);
    if (existing) {
      checkFingerprint(existing, scope);
      if (existing.status === "completed") return { status: existing.responseStatus!, body: openResponseBody(existing.responseBody!, aad(scope)), replayed: true } as const;
      if (existing.lockedAt && Date.now() - existing.lockedAt.getTime() < STALE_LOCK_MS) throw inUse();
      await tx.idempotencyKey.update({ where: { id: existing.id }, data: { lockedAt: new Date(), requestId: scope.requestId } });
      return null;
    }
    await tx.idempotencyKey.create({
      data: {
        merchantId: scope.merchantId, endpoint: scope.endpoint, key: scope.key, fingerprint: scope.fingerprint,
        status: "in_progress", requestId: scope.requestId, lockedAt: new Date(), expiresAt: expiresAt(),
      },
      select: { id: true },
    });
    return null;
  }, { timeout: 30_000, maxWait: 10_000 });
}

/**
 * For work that calls out (the PSP): the key is recorded as in progress and committed first, the work
 * runs (committing its own recovery points), then the response is stored. A crash in between leaves the
 * key in progress; a retry after STALE_LOCK_MS resumes it, and the work must be safe to run again.
 */
export async function runIdempotentExternal(
  scope: IdempotencyScope,
  work: () => Promise<StoredResponse>,
): Promise<IdempotentOutcome> {
  const claimed = (await claimNewKey(scope)) ? null : await claimExistingKey(scope);
  if (claimed) return claimed;

  const where = { merchantId_endpoint_key: { merchantId: scope.merchantId, endpoint: scope.endpoint, key: scope.key } };
  let response: StoredResponse;
  try {
    response = await work();
  } catch (error) {
    if (isFinalError(error)) return { ...(await storeFinalError(scope, error)), replayed: false };
    // Transient: unlock so the client's retry resumes the work at once.
    await db().idempotencyKey.update({ where, data: { lockedAt: null } }).catch(() => {});
    throw error;
  }
  await sqlPool().query({
    name: "idempotency_complete_v1",
    text: `update idempotency_keys set status = 'completed', response_status = $4, response_body = $5, completed_at = now(), locked_at = null
           where merchant_id = $1 and endpoint = $2 and key = $3`,
    values: [scope.merchantId, scope.endpoint, scope.key, response.status, sealResponseBody(response.body, aad(scope))],
  });
  return { ...response, replayed: false };
}

/** Deletes expired keys in bounded batches; returns how many were removed. */
export async function purgeExpiredIdempotencyKeys(batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await db().$executeRaw`
      delete from idempotency_keys where id in (
        select id from idempotency_keys where expires_at < now() limit ${batchSize}
      )`;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
