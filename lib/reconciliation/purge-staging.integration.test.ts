// Staging retention: finished runs past RECONCILIATION_STAGING_RETENTION_DAYS lose their staged PSP rows
// (in batches), everything else keeps them, and the reports (runs, discrepancies with both sides'
// records) are untouched.
import { describe, expect, test } from "vitest";
import { sqlPool } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { makeMerchant } from "@/tests/fixtures";
import { createReconciliationRun } from "./execute-run";
import { importSettlementReport } from "./import-settlement-report";
import { getRunOrThrow, listDiscrepancies } from "./list-runs";
import { purgeStagingRows } from "./purge-staging";
import { stagePspRecords } from "./stage-psp-records";

const DAY_MS = 86_400_000;
const actor = { type: "system", id: "test" } as const;

function csv(day: string): string {
  return [
    "balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description",
    `txn_${day}_1,${day} 10:00:00,,usd,12.34,0.00,12.34,other_adjustment,,Adjustment`,
    `txn_${day}_2,${day} 11:00:00,,usd,20.00,0.88,19.12,charge,ch_unknown_${day},Payment unknown to Settle`,
    `txn_${day}_3,${day} 12:00:00,,usd,5.00,0.00,5.00,other_adjustment,,Adjustment`,
  ].join("\n");
}

async function importDay(merchantId: string, day: string): Promise<string> {
  const text = csv(day);
  const { runId } = await importSettlementReport({
    merchantId,
    actor,
    chunks: (async function* () {
      yield text;
    })(),
    filename: `${day}.csv`,
    periodStart: new Date(`${day}T00:00:00Z`),
    periodEnd: new Date(new Date(`${day}T00:00:00Z`).getTime() + DAY_MS),
  });
  return runId;
}

async function staged(runId: string): Promise<number> {
  const { rows } = await sqlPool().query<{ n: string }>(`SELECT count(*) AS n FROM reconciliation_psp_records WHERE run_id = $1`, [runId]);
  return Number(rows[0]!.n);
}

async function age(runId: string, days: number): Promise<void> {
  const at = new Date(Date.now() - days * DAY_MS);
  await sqlPool().query(`UPDATE reconciliation_runs SET finished_at = CASE WHEN finished_at IS NULL THEN NULL ELSE $2::timestamptz END, updated_at = $2::timestamptz WHERE id = $1`, [runId, at]);
}

describe("staging retention", () => {
  test("defaults to 90 days and reads RECONCILIATION_STAGING_RETENTION_DAYS", () => {
    const base = { NODE_ENV: "test", DATABASE_URL: "postgresql://x@localhost/db", AUTH_SECRET: "x".repeat(32) } as const;
    expect(getEnv(base).RECONCILIATION_STAGING_RETENTION_DAYS).toBe(90);
    expect(getEnv({ ...base, RECONCILIATION_STAGING_RETENTION_DAYS: "7" }).RECONCILIATION_STAGING_RETENTION_DAYS).toBe(7);
    expect(() => getEnv({ ...base, RECONCILIATION_STAGING_RETENTION_DAYS: "0" })).toThrow(/RECONCILIATION_STAGING_RETENTION_DAYS/);
  });

  test("purges finished runs past retention in batches; keeps recent and in-progress runs and every report", async () => {
    const { merchantId } = await makeMerchant("Recon retention");
    const old = await importDay(merchantId, "2026-01-05");
    const failed = await importDay(merchantId, "2026-01-06");
    const recent = await importDay(merchantId, "2026-01-07");
    // An in-progress run (staged, its worker gone for months): its rows are what a resume matches.
    const inProgress = await createReconciliationRun({ merchantId, periodStart: new Date("2026-01-08T00:00:00Z"), source: "report", actor });
    await stagePspRecords(sqlPool(), inProgress.id, [
      {
        balanceTransactionId: "txn_ip_1", reportingCategory: "other_adjustment", type: "adjustment", sourceId: null, chargeId: null, paymentIntentId: null,
        settleRef: null, settleMerchantRef: null, createdAt: new Date("2026-01-08T10:00:00Z"), availableOn: null, currency: "USD",
        gross: 100n, fee: 0n, net: 100n, exchangeRate: null, customerFacingAmount: null, customerFacingCurrency: null, status: "available", payoutId: null,
      },
    ]);
    await sqlPool().query(`UPDATE reconciliation_runs SET state = 'staged' WHERE id = $1`, [inProgress.id]);
    await sqlPool().query(`UPDATE reconciliation_runs SET state = 'failed' WHERE id = $1`, [failed]);
    await age(old, 120);
    await age(failed, 95);
    await age(recent, 30);
    await age(inProgress.id, 200);
    expect([await staged(old), await staged(failed), await staged(recent), await staged(inProgress.id)]).toEqual([3, 3, 3, 1]);
    const before = await listDiscrepancies(merchantId, old, { limit: 100 });
    expect(before.data.length).toBe(3);

    // A pass that runs out of batches says so and the next one finishes.
    const partial = await purgeStagingRows({ retentionDays: 90, batchRows: 2, maxBatches: 1 });
    expect(partial).toEqual({ runs: 1, rows: 2, done: false });
    const rest = await purgeStagingRows({ retentionDays: 90, batchRows: 2 });
    expect(rest).toEqual({ runs: 2, rows: 4, done: true });
    expect([await staged(old), await staged(failed), await staged(recent), await staged(inProgress.id)]).toEqual([0, 0, 3, 1]);

    // The report is intact: run totals, discrepancies with their PSP-side record.
    const run = await getRunOrThrow(merchantId, old);
    expect(run.state).toBe("completed");
    expect(Number(run.psp_record_count)).toBe(3);
    const after = await listDiscrepancies(merchantId, old, { limit: 100 });
    expect(after.data.map((d) => d.id)).toEqual(before.data.map((d) => d.id));
    const { rows } = await sqlPool().query<{ n: string }>(
      `SELECT count(*) AS n FROM reconciliation_discrepancies WHERE run_id = $1 AND psp_record ? 'balance_transaction'`,
      [old],
    );
    expect(Number(rows[0]!.n)).toBe(3);

    // Nothing left to do; a shorter retention reaches the recent run.
    expect(await purgeStagingRows({ retentionDays: 90 })).toEqual({ runs: 0, rows: 0, done: true });
    expect(await purgeStagingRows({ retentionDays: 7 })).toEqual({ runs: 1, rows: 3, done: true });
    expect(await staged(inProgress.id)).toBe(1);
  });
});
