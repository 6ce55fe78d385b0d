// Creates reconciliation runs and drives them through their phases: fetch (checkpointed per batch) →
// staged → matched (match + classify + totals in one transaction) → completed (the run becomes the
// period's current version and the merchant is alerted). A run can be resumed from any state: a
// crashed phase left nothing half-done, and an advisory lock keeps two workers off the same run.
import type pg from "pg";
import type Stripe from "stripe";
import { AppError, assert } from "@/lib/api/errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { recordAuditEvent } from "@/lib/compliance/record-audit-event";
import { db, sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { logger } from "@/lib/log/logger";
import { enqueueMerchantEvent } from "@/lib/notifications/enqueue-merchant-event";
import { defaultStripeClient, fetchPspRecords } from "./fetch-psp-records";
import { GRACE_MS, matchRun } from "./match-run";
import { PERIOD_DAYS_MAX, type RunState } from "./reconciliation.types";

const DAY_MS = 86_400_000;

export type CreateRunInput = {
  /** Preset id (a report staged before its period was known); a new one otherwise. */
  id?: string;
  merchantId: string;
  periodStart?: Date;
  periodEnd?: Date;
  currency?: string;
  source: "psp_api" | "report";
  reportFilename?: string;
  reportSha256?: string;
  actor: Actor;
};

export type RunRow = {
  id: string;
  merchant_id: string;
  period_start: Date;
  period_end: Date;
  currency_scope: string;
  version: number;
  state: RunState;
  source: string;
  checkpoint: { fetch?: { startingAfter: string | null; staged: number } } & Record<string, unknown>;
  started_at: Date | null;
};

/** Yesterday (UTC) unless given; the end defaults to one day after the start. */
export function resolvePeriod(start?: Date, end?: Date, now = new Date()): { periodStart: Date; periodEnd: Date } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const periodStart = start ?? new Date(end ? end.getTime() - DAY_MS : today - DAY_MS);
  const periodEnd = end ?? new Date(periodStart.getTime() + DAY_MS);
  if (periodEnd <= periodStart) throw new AppError("parameter_invalid", "period_end must be after period_start.", { param: "period_end" });
  if (periodEnd.getTime() - periodStart.getTime() > PERIOD_DAYS_MAX * DAY_MS) {
    throw new AppError("parameter_invalid", `A run covers at most ${PERIOD_DAYS_MAX} days.`, { param: "period_end" });
  }
  return { periodStart, periodEnd };
}

/** Inserts the next version of the period's run (pending). Versions are serialised per period by an advisory lock. */
export async function createReconciliationRun(input: CreateRunInput): Promise<RunRow> {
  const { periodStart, periodEnd } = resolvePeriod(input.periodStart, input.periodEnd);
  const scope = input.currency ?? "ALL";
  const id = input.id ?? newId("reconciliationRun");
  const conn = await sqlPool().connect();
  try {
    await conn.query("BEGIN");
    await conn.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`recon:${input.merchantId}:${periodStart.toISOString()}:${periodEnd.toISOString()}:${scope}`]);
    const { rows } = await conn.query<RunRow>(
      `INSERT INTO reconciliation_runs (id, merchant_id, period_start, period_end, currency_scope, version, source, report_filename, report_sha256,
                                        requested_by_type, requested_by_id, checkpoint)
       SELECT $1::text, $2::text, $3::timestamptz, $4::timestamptz, $5::text, coalesce(max(version), 0) + 1, $6::text, $7::text, $8::text, $9::text, $10::text, '{}'
       FROM reconciliation_runs WHERE merchant_id = $2::text AND period_start = $3::timestamptz AND period_end = $4::timestamptz AND currency_scope = $5::text
       RETURNING id, merchant_id, period_start, period_end, currency_scope, version, state, source, checkpoint, started_at`,
      [id, input.merchantId, periodStart, periodEnd, scope, input.source, input.reportFilename ?? null, input.reportSha256 ?? null, input.actor.type, input.actor.id],
    );
    await conn.query(
      `INSERT INTO audit_events (id, merchant_id, actor_type, actor_id, action, target_type, target_id, request_id, data)
       VALUES ($1, $2, $3, $4, 'reconciliation.run_created', 'reconciliation_run', $5, $6, $7)`,
      [newId("audit"), input.merchantId, input.actor.type, input.actor.id, id, input.actor.requestId ?? null,
        JSON.stringify({ period_start: periodStart, period_end: periodEnd, currency: input.currency ?? null, source: input.source })],
    );
    await conn.query("COMMIT");
    return rows[0]!;
  } catch (error) {
    await conn.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    conn.release();
  }
}

async function loadRun(client: pg.ClientBase, runId: string): Promise<RunRow> {
  const { rows } = await client.query<RunRow>(
    `SELECT id, merchant_id, period_start, period_end, currency_scope, version, state, source, checkpoint, started_at FROM reconciliation_runs WHERE id = $1`,
    [runId],
  );
  if (!rows[0]) throw new AppError("resource_missing", `No such reconciliation run: '${runId}'`);
  return rows[0];
}

/** Moves the run from `from` to `to` (one guarded UPDATE); false when another worker moved it first. */
async function advance(client: pg.ClientBase, runId: string, from: RunState, to: RunState, extra = "", params: unknown[] = []): Promise<boolean> {
  const result = await client.query(
    `UPDATE reconciliation_runs SET state = $3::"ReconciliationRunState", updated_at = now()${extra} WHERE id = $1 AND state = $2::"ReconciliationRunState"`,
    [runId, from, to, ...params],
  );
  return result.rowCount === 1;
}

export type ExecuteOptions = { stripe?: Stripe; actor?: Actor };

/**
 * Runs (or resumes) a run to completion. Safe to call concurrently and repeatedly: a second caller
 * finds the advisory lock taken and returns; a completed run is returned as is.
 */
export async function executeReconciliationRun(runId: string, options: ExecuteOptions = {}): Promise<{ state: RunState }> {
  const client = await sqlPool().connect();
  const lockKey = `recon-run:${runId}`;
  try {
    const { rows } = await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [lockKey]);
    if (!rows[0]?.locked) return { state: (await loadRun(client, runId)).state };
    try {
      return await drive(client, runId, options);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext($1))`, [lockKey]);
    }
  } finally {
    client.release();
  }
}

async function drive(client: pg.ClientBase, runId: string, options: ExecuteOptions): Promise<{ state: RunState }> {
  let run = await loadRun(client, runId);
  const started = performance.now();
  try {
    if (run.state === "pending") {
      await client.query(`UPDATE reconciliation_runs SET started_at = coalesce(started_at, now()) WHERE id = $1`, [runId]);
      // A report run arrives staged; an API run fetches first.
      await advance(client, runId, "pending", run.source === "report" ? "staged" : "fetching");
      run = await loadRun(client, runId);
    }
    if (run.state === "fetching") {
      const fetch = run.checkpoint.fetch ?? { startingAfter: null, staged: 0 };
      const staged = await fetchPspRecords({
        client,
        stripe: options.stripe ?? defaultStripeClient(),
        runId,
        windowStart: new Date(run.period_start.getTime() - GRACE_MS),
        windowEnd: new Date(run.period_end.getTime() + GRACE_MS),
        startingAfter: fetch.startingAfter,
        stagedSoFar: fetch.staged,
        saveCheckpoint: async (tx, lastId, total) => {
          await tx.query(
            `UPDATE reconciliation_runs SET checkpoint = jsonb_set(checkpoint, '{fetch}', $2::jsonb), updated_at = now() WHERE id = $1`,
            [runId, JSON.stringify({ startingAfter: lastId, staged: total })],
          );
        },
      });
      await advance(client, runId, "fetching", "staged", `, checkpoint = jsonb_set(checkpoint, '{fetch}', $4::jsonb)`, [
        JSON.stringify({ startingAfter: null, staged, done: true }),
      ]);
      run = await loadRun(client, runId);
    }
    if (run.state === "staged") {
      // Match, classify and total in one transaction (the working sets are temp tables dropped at commit).
      await client.query("BEGIN");
      try {
        const result = await matchRun(client, {
          runId,
          merchantId: run.merchant_id,
          periodStart: run.period_start,
          periodEnd: run.period_end,
          currencyScope: run.currency_scope,
        });
        const totals = result.totals;
        const moved = await advance(
          client,
          runId,
          "staged",
          "matched",
          `, totals = $4::jsonb, psp_record_count = $5, settle_record_count = $6, matched_count = $7, discrepancy_count = $8,
             checkpoint = jsonb_set(checkpoint, '{match}', $9::jsonb)`,
          [JSON.stringify(totals, (_k, v) => (typeof v === "bigint" ? v.toString() : v)), result.pspRecords, result.settleRecords, result.matched,
            result.discrepancies, JSON.stringify({ at: new Date().toISOString(), ms: Math.round(performance.now() - started) })],
        );
        assert(moved, "a staged run is matched only by the worker holding its lock");
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
      run = await loadRun(client, runId);
    }
    if (run.state === "matched") await completeRun(run, options.actor ?? { type: "system", id: "reconciliation" });
    return { state: (await loadRun(client, runId)).state };
  } catch (error) {
    logger.error({ err: error, runId }, "reconciliation run failed; it can be resumed");
    await client
      .query(`UPDATE reconciliation_runs SET error = $2, updated_at = now() WHERE id = $1`, [runId, error instanceof Error ? error.message.slice(0, 1000) : String(error)])
      .catch(() => {});
    throw error;
  }
}

/**
 * The last phase, in one Prisma transaction: the run becomes current (older versions stop being
 * current and their staged rows are dropped), the audit row is written, and when anything is left
 * unexplained the merchant gets a webhook event (the dashboard banner reads the current run).
 */
async function completeRun(run: RunRow, actor: Actor): Promise<void> {
  await db().$transaction(async (tx) => {
    const unexplained = await tx.reconciliationDiscrepancy.count({ where: { runId: run.id, status: "open" } });
    const updated = await tx.reconciliationRun.updateMany({
      where: { id: run.id, state: "matched" },
      data: {
        state: "completed",
        isCurrent: true,
        unexplainedCount: BigInt(unexplained),
        finishedAt: new Date(),
        error: null,
      },
    });
    if (updated.count === 0) return;
    await tx.reconciliationRun.updateMany({
      where: { merchantId: run.merchant_id, periodStart: run.period_start, periodEnd: run.period_end, currencyScope: run.currency_scope, id: { not: run.id } },
      data: { isCurrent: false },
    });
    await tx.$executeRaw`UPDATE reconciliation_runs SET duration_ms = LEAST(2147483647, (extract(epoch FROM finished_at - coalesce(started_at, created_at)) * 1000)::int) WHERE id = ${run.id}`;
    // Superseded versions keep their reports (discrepancies) but not their staged PSP rows.
    await tx.$executeRaw`DELETE FROM reconciliation_psp_records WHERE run_id IN (
      SELECT id FROM reconciliation_runs WHERE merchant_id = ${run.merchant_id} AND period_start = ${run.period_start}
        AND period_end = ${run.period_end} AND currency_scope = ${run.currency_scope} AND id <> ${run.id} AND state = 'completed')`;
    await recordAuditEvent(
      { merchantId: run.merchant_id, actor, action: "reconciliation.run_completed", target: { type: "reconciliation_run", id: run.id }, data: { version: run.version, unexplained } },
      tx,
    );
    if (unexplained > 0) {
      await enqueueMerchantEvent(tx, {
        merchantId: run.merchant_id,
        type: "reconciliation_run.discrepancies_found",
        objectType: "reconciliation_run",
        objectId: run.id,
        objectVersion: run.version,
        payload: {
          id: run.id,
          object: "reconciliation_run",
          period_start: run.period_start.toISOString(),
          period_end: run.period_end.toISOString(),
          version: run.version,
          unexplained_count: unexplained,
        },
      });
    }
  });
}

/** Runs whose worker died mid-phase (no progress for `staleMs`): the resume job picks them up. */
export async function findStalledRuns(staleMs: number, limit = 10): Promise<string[]> {
  const rows = await db().reconciliationRun.findMany({
    where: { state: { in: ["pending", "fetching", "staged", "matched"] }, updatedAt: { lt: new Date(Date.now() - staleMs) } },
    select: { id: true },
    orderBy: { updatedAt: "asc" },
    take: limit,
  });
  return rows.map((row) => row.id);
}
