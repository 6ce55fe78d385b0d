// The overview's daily rollup equals a direct aggregate over payments, refunds and disputes: after real
// payments through the API and the PSP sandbox (captures, declines, a cancel, refunds, a lost dispute
// delivered by webhook), after a concurrent random mix of transitions written straight to the tables
// while the fold job runs, after folding everything, and after a rebuild.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as createRoute } from "@/app/api/v1/payments/route";
import { POST as cancelRoute } from "@/app/api/v1/payments/[id]/cancel/route";
import { POST as refundRoute } from "@/app/api/v1/refunds/route";
import { POST as webhookRoute } from "@/app/api/webhooks/stripe/route";
import { db, sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { call, expectLedgerConsistent, makeMerchant, startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { processPspEvents } from "@/lib/webhooks/psp/process-psp-events";
import { foldDailyRollup, rebuildDailyRollup } from "./fold-daily-rollup";
import { getOverview } from "./get-overview";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };

beforeAll(async () => {
  h = await startPaymentsHarness({ webhookRoute: (request) => webhookRoute(request) });
  merchant = await makeMerchant("Rollup");
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});

type Sums = Record<string, { gross: string; fees: string; refunds: string; disputes: string; disputeCount: string; succeeded: string; failed: string }>;

/** The rows' own aggregate per "currency day", computed the way the overview used to. */
async function directAggregate(merchantId: string): Promise<Sums> {
  const { rows } = await sqlPool().query<{ key: string; gross: string; fees: string; refunds: string; disputes: string; dispute_count: string; succeeded: string; failed: string }>(
    `SELECT currency || ' ' || day AS key, sum(gross)::text AS gross, sum(fees)::text AS fees, sum(refunds)::text AS refunds, sum(disputes)::text AS disputes,
            sum(dispute_count)::text AS dispute_count, sum(succeeded)::text AS succeeded, sum(failed)::text AS failed
       FROM (SELECT currency, (created_at AT TIME ZONE 'UTC')::date AS day,
                    COALESCE(sum(amount_captured) FILTER (WHERE status::text IN ('captured','settled','refunded','refund_settled','chargeback')), 0) AS gross,
                    COALESCE(sum(fee_amount), 0) AS fees, 0 AS refunds, 0 AS disputes, 0 AS dispute_count,
                    count(*) FILTER (WHERE status::text IN ('authorized','captured','settled','refunded','refund_settled','chargeback')) AS succeeded,
                    count(*) FILTER (WHERE status::text = 'failed') AS failed
               FROM payments WHERE merchant_id = $1 GROUP BY 1, 2
             UNION ALL
             SELECT currency, (created_at AT TIME ZONE 'UTC')::date, 0, 0, COALESCE(sum(amount) FILTER (WHERE status::text IN ('pending','succeeded')), 0), 0, 0, 0, 0
               FROM refunds WHERE merchant_id = $1 GROUP BY 1, 2
             UNION ALL
             SELECT currency, (created_at AT TIME ZONE 'UTC')::date, 0, 0, 0, sum(amount), count(*), 0, 0
               FROM disputes WHERE merchant_id = $1 GROUP BY 1, 2) parts
      GROUP BY 1`,
    [merchantId],
  );
  return toSums(rows);
}

/** The rollup as the overview reads it: folded totals plus unfolded deltas, in one statement. */
async function rollup(merchantId: string): Promise<Sums> {
  const { rows } = await sqlPool().query<{ key: string; gross: string; fees: string; refunds: string; disputes: string; dispute_count: string; succeeded: string; failed: string }>(
    `SELECT currency || ' ' || day AS key, sum(gross_minor)::text AS gross, sum(fees_minor)::text AS fees, sum(refunds_minor)::text AS refunds,
            sum(disputes_minor)::text AS disputes, sum(dispute_count)::text AS dispute_count, sum(succeeded_count)::text AS succeeded, sum(failed_count)::text AS failed
       FROM (SELECT currency, day, gross_minor, fees_minor, refunds_minor, disputes_minor, dispute_count, succeeded_count, failed_count FROM dashboard_daily_totals WHERE merchant_id = $1
             UNION ALL
             SELECT currency, day, gross_minor, fees_minor, refunds_minor, disputes_minor, dispute_count, succeeded_count, failed_count FROM dashboard_daily_deltas WHERE merchant_id = $1) parts
      GROUP BY 1`,
    [merchantId],
  );
  return toSums(rows);
}

function toSums(rows: { key: string; gross: string; fees: string; refunds: string; disputes: string; dispute_count: string; succeeded: string; failed: string }[]): Sums {
  const sums: Sums = {};
  for (const row of rows) {
    const values = { gross: row.gross, fees: row.fees, refunds: row.refunds, disputes: row.disputes, disputeCount: row.dispute_count, succeeded: row.succeeded, failed: row.failed };
    if (Object.values(values).every((value) => value === "0")) continue; // a day whose contributions cancelled out
    sums[row.key] = values;
  }
  return sums;
}

async function expectRollupExact(merchantId: string) {
  const direct = await directAggregate(merchantId);
  expect(Object.keys(direct).length).toBeGreaterThan(0);
  expect(await rollup(merchantId)).toEqual(direct);
}

const create = (body: Record<string, unknown>) => call(createRoute, "/api/v1/payments", { secret: merchant.secret, body: { amount: 2000, currency: "USD", ...body } });

async function drainWebhooks(): Promise<void> {
  for (let round = 0; round < 5; round++) {
    await h.control.flushWebhooks();
    await processPspEvents();
    for (let wait = 0; wait < 100 && (await db().pspEvent.count({ where: { status: { in: ["pending", "processing"] } } })) > 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await processPspEvents();
    }
  }
}

describe("daily rollup", () => {
  test("real payments, declines, a cancel, refunds and a lost dispute: rollup = direct aggregate, and the overview shows it", async () => {
    const captured = [];
    for (const amount of [1000, 2500, 4000]) captured.push((await create({ payment_method: "pm_card_visa", amount })).body);
    expect(captured.map((p) => p.status)).toEqual(["captured", "captured", "captured"]);
    for (let i = 0; i < 2; i++) expect((await create({ payment_method: "pm_card_visa_chargeDeclined" })).status).toBe(402); // stored failed
    const manual = (await create({ payment_method: "pm_card_mastercard", capture_method: "manual", amount: 7000 })).body;
    expect(manual.status).toBe("authorized");
    expect((await call(cancelRoute, `/api/v1/payments/${manual.id}/cancel`, { secret: merchant.secret, body: {}, params: { id: manual.id } })).body.status).toBe("canceled");
    const eur = (await create({ payment_method: "pm_card_visa", amount: 3000, currency: "EUR" })).body;
    expect(eur.status).toBe("captured");
    expect((await call(refundRoute, "/api/v1/refunds", { secret: merchant.secret, body: { payment: captured[1].id, amount: 500 } })).status).toBe(200);
    expect((await call(refundRoute, "/api/v1/refunds", { secret: merchant.secret, body: { payment: eur.id } })).status).toBe(200);
    const disputed = (await create({ payment_method: "pm_card_createDispute", amount: 6000 })).body;
    await h.control.flushScheduler();
    await drainWebhooks();
    expect(await db().dispute.count({ where: { merchantId: merchant.merchantId } })).toBe(1);

    await expectRollupExact(merchant.merchantId);
    const direct = await directAggregate(merchant.merchantId);
    const today = new Date().toISOString().slice(0, 10);
    const usd = direct[`USD ${today}`]!;
    const now = new Date();
    const overview = await getOverview(merchant.merchantId, 7, now);
    const overviewUsd = overview.currencies.find((c) => c.currency === "USD")!;
    expect(overviewUsd.totals.grossMinor).toBe(BigInt(usd.gross));
    expect(overviewUsd.totals.refundsMinor).toBe(500n);
    expect(overviewUsd.totals.disputesMinor).toBe(6000n);
    expect(overviewUsd.totals.disputeCount).toBe(1);
    expect(overviewUsd.totals.failed).toBe(2);
    expect(overviewUsd.totals.netMinor).toBe(BigInt(usd.gross) - 500n - 6000n - BigInt(usd.fees));
    expect(overview.currencies.find((c) => c.currency === "EUR")!.totals.refundsMinor).toBe(3000n);
    expect(disputed.status).toBe("captured");

    const { folded } = await foldDailyRollup();
    expect(folded).toBeGreaterThan(0);
    expect(Number((await sqlPool().query(`SELECT count(*) FROM dashboard_daily_deltas`)).rows[0].count)).toBe(0);
    await expectRollupExact(merchant.merchantId);
    expect(await getOverview(merchant.merchantId, 7, now)).toEqual(overview);
  });

  test("a concurrent random mix over 40 days and two currencies, folded while it runs: still exact; a rebuild agrees", async () => {
    const other = await makeMerchant("Rollup, SQL mix");
    const merchantId = other.merchantId;
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const writers = 6;
    const perWriter = 40;
    let folding = true;
    const folder = (async () => {
      let folds = 0;
      while (folding) {
        await foldDailyRollup({ batchSize: 7 }); // small batches: folds interleave with the writers
        folds++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return folds;
    })();
    const writing = Promise.all(
      [...Array(writers).keys()].map(async (writer) => {
        for (let i = 0; i < perWriter; i++) {
          const created = new Date(Date.now() - Math.floor(random() * 40) * 86_400_000 - Math.floor(random() * 86_400_000));
          const id = newId("payment", created.getTime());
          const currency = random() < 0.7 ? "USD" : "EUR";
          const amount = 100 + Math.floor(random() * 10_000);
          const client = await sqlPool().connect();
          try {
            await client.query(
              `INSERT INTO payments (id, merchant_id, amount, currency, status, capture_method, payment_method_type, payment_method, idempotency_key, receipt_number, receipt_token, created_at, updated_at)
               VALUES ($1, $2, $3, $4, 'initiated', 'automatic', 'card', 'pm_card_visa', $1, $1, $1, $5, $5)`,
              [id, merchantId, amount, currency, created],
            );
            const step = (status: string, extra = "") => client.query(`UPDATE payments SET status = $2::"PaymentStatus"${extra} WHERE id = $1`, [id, status]);
            await step("pending");
            const fate = random();
            if (fate < 0.2) {
              await step("failed");
              continue;
            }
            await step("authorized");
            if (fate < 0.3) {
              await step("canceled");
              continue;
            }
            await client.query("BEGIN"); // capture and its fee in one transaction, as the engine does
            await step("captured", `, amount_captured = amount, fee_amount = amount * 29 / 1000 + 30`);
            await client.query("COMMIT");
            if (fate < 0.55) await step("settled");
            if (fate > 0.75) {
              const refundId = newId("refund", created.getTime() + 3_600_000);
              const refundAmount = Math.max(1, Math.floor(amount / 2));
              await client.query(
                `INSERT INTO refunds (id, merchant_id, payment_id, amount, currency, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $6)`,
                [refundId, merchantId, id, refundAmount, currency, new Date(created.getTime() + 3_600_000)],
              );
              await client.query(`UPDATE refunds SET status = $2::"RefundStatus" WHERE id = $1`, [refundId, random() < 0.8 ? "succeeded" : "failed"]);
              if (random() < 0.5) await step("refunded", `, amount_refund_reserved = ${refundAmount}, amount_refunded = ${refundAmount}`);
            } else if (fate > 0.7) {
              await client.query(
                `INSERT INTO disputes (id, merchant_id, payment_id, psp_dispute_id, amount, currency, reason, status, created_at, updated_at)
                 VALUES ($1, $2, $3, $1, $4, $5, 'fraudulent', 'needs_response', $6, $6)`,
                [newId("dispute", created.getTime()), merchantId, id, amount, currency, new Date(created.getTime() + 86_400_000)],
              );
              await step("chargeback");
            }
          } finally {
            client.release();
          }
        }
      }),
    );
    try {
      await writing;
    } finally {
      folding = false;
      expect(await folder).toBeGreaterThan(0);
    }
    await expectRollupExact(merchantId);
    const direct = await directAggregate(merchantId);
    expect(Object.keys(direct).some((key) => key.startsWith("EUR"))).toBe(true);
    expect(Object.values(direct).some((day) => day.refunds !== "0")).toBe(true);
    expect(Object.values(direct).some((day) => day.disputes !== "0")).toBe(true);
    expect(Object.values(direct).some((day) => day.failed !== "0")).toBe(true);

    await foldDailyRollup();
    await expectRollupExact(merchantId);
    await rebuildDailyRollup();
    expect(Number((await sqlPool().query(`SELECT count(*) FROM dashboard_daily_deltas`)).rows[0].count)).toBe(0);
    await expectRollupExact(merchantId);
    await expectRollupExact(merchant.merchantId); // the first test's merchant survives the rebuild too
  });
});
