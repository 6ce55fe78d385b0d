// Late refund failure against the real PSP sandbox (pm_card_refundFail: the refund succeeds, then the PSP
// fails it and sends refund.failed + charge.refund.updated over real, signed webhooks): a payment that had
// become refunded (or refund_settled) comes back to captured/settled with amount_refunded restored, the
// ledger balanced, a history row, an audit row and a payment.refund_failed event, and can be refunded again.
// The way back is refused by the code and by the database when no refund failed.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as createRoute } from "@/app/api/v1/payments/route";
import { POST as refundRoute } from "@/app/api/v1/refunds/route";
import { POST as webhookRoute } from "@/app/api/webhooks/stripe/route";
import { db, sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { runSettlementSweep } from "@/lib/payments/settle-payments";
import { call, chartBalances, expectLedgerConsistent, makeMerchant, startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { transitionPayment } from "@/lib/payments/transition-payment";
import { processPspEvents } from "@/lib/webhooks/psp/process-psp-events";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };
const actor = { type: "system", id: "test" } as const;

beforeAll(async () => {
  h = await startPaymentsHarness({ webhookRoute: (request) => webhookRoute(request) });
  merchant = await makeMerchant("RefundFailure");
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});

const pay = async (amount: number) => {
  const response = await call(createRoute, "/api/v1/payments", { secret: merchant.secret, body: { amount, currency: "USD", payment_method: "pm_card_refundFail" } });
  expect(response.status).toBe(200);
  return response.body as { id: string };
};
const refund = (body: Record<string, unknown>) => call(refundRoute, "/api/v1/refunds", { secret: merchant.secret, body });
const paymentRow = (id: string) => db().payment.findUniqueOrThrow({ where: { id } });

/** Delivers every webhook and waits until every stored event is handled. */
async function drain(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await h.control.flushWebhooks();
    await processPspEvents();
    for (let wait = 0; wait < 100 && (await db().pspEvent.count({ where: { status: { in: ["pending", "processing"] } } })) > 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await processPspEvents();
    }
  }
}

async function expectCameBack(paymentId: string, refundId: string, from: string, to: string) {
  const refundAfter = await db().refund.findUniqueOrThrow({ where: { id: refundId } });
  expect(refundAfter).toMatchObject({ status: "failed", failureReason: "expired_or_canceled_card" });
  expect(refundAfter.succeededAt).not.toBeNull();
  const row = await paymentRow(paymentId);
  expect(row).toMatchObject({ status: to, amountRefunded: 0n, amountRefundReserved: 0n, refundedAt: null, refundSettledAt: null });
  const history = await db().paymentEvent.findMany({ where: { paymentId, fromStatus: from as never, toStatus: to as never }, orderBy: { id: "desc" } });
  expect(history[0]).toMatchObject({ reason: `refund:${refundId}:failed`, version: row.version });
  const audit = await db().auditEvent.findMany({ where: { targetId: paymentId, action: "payment.refund_failed" } });
  expect(audit).toHaveLength(1);
  expect(audit[0]!.data).toMatchObject({ from, to });
  const events = await db().merchantEvent.findMany({ where: { objectId: paymentId, type: "payment.refund_failed" } });
  expect(events).toHaveLength(1);
  expect(events[0]!.objectVersion).toBe(row.version);
  expect(events[0]!.payload).toMatchObject({ id: paymentId, status: to, amount_refunded: 0 });
  // No second "payment.captured"/"payment.settled" announcement for a return.
  expect(await db().merchantEvent.count({ where: { objectId: paymentId, type: `payment.${to}`, createdAt: { gte: refundAfter.succeededAt! } } })).toBe(0);
  await expectLedgerConsistent();
}

describe("a refund that the PSP fails after it succeeded", () => {
  test("captured → refunded → captured: amounts and ledger restored, refundable again", async () => {
    const before = await chartBalances(merchant.merchantId, "USD");
    const payment = await pay(3000);
    const capturedAt = (await paymentRow(payment.id)).capturedAt;
    const created = await refund({ payment: payment.id });
    expect(created.body).toMatchObject({ status: "succeeded", amount: 3000 });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "refunded", amountRefunded: 3000n });
    await drain();
    await h.control.flushScheduler(); // the sandbox fails the refund now (refund.failed, charge.refund.updated)
    await drain();
    await expectCameBack(payment.id, created.body.id, "refunded", "captured");
    expect((await paymentRow(payment.id)).capturedAt).toEqual(capturedAt); // a return keeps the original timestamp
    const after = await chartBalances(merchant.merchantId, "USD");
    expect((after.merchant_pending ?? 0n) - (before.merchant_pending ?? 0n)).toBe(3000n);

    // Refundable again, in full, and the payment becomes refunded again.
    const again = await refund({ payment: payment.id, amount: 3000 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: "succeeded", amount: 3000 });
    expect(await paymentRow(payment.id)).toMatchObject({ status: "refunded", amountRefunded: 3000n, amountRefundReserved: 3000n });
    // A duplicate of the old failure changes nothing more.
    const { syncRefundById } = await import("@/lib/webhooks/psp/sync-objects");
    await syncRefundById(created.body.psp_reference);
    expect(await paymentRow(payment.id)).toMatchObject({ status: "refunded", amountRefunded: 3000n });
    expect(await db().auditEvent.count({ where: { targetId: payment.id, action: "payment.refund_failed" } })).toBe(1);
    // The second refund (same card) fails late too: back again, so nothing of this test lingers into the next.
    await h.control.flushScheduler();
    await drain();
    expect(await paymentRow(payment.id)).toMatchObject({ status: "captured", amountRefunded: 0n, amountRefundReserved: 0n });
    expect(await db().auditEvent.count({ where: { targetId: payment.id, action: "payment.refund_failed" } })).toBe(2);
  });

  test("settled → refunded → settled (settlement posted before the failure)", async () => {
    const payment = await pay(2500);
    await h.control.advanceClock(3 * 86400);
    await runSettlementSweep();
    expect((await paymentRow(payment.id)).status).toBe("settled");
    const created = await refund({ payment: payment.id });
    const refunded = await paymentRow(payment.id);
    expect(refunded.status).toBe("refunded");
    await h.control.flushScheduler();
    await drain();
    await expectCameBack(payment.id, created.body.id, "refunded", "settled");
    // Amounts and status change together: one new version, announced once.
    expect((await paymentRow(payment.id)).version).toBe(refunded.version + 1);
  });

  test("refund_settled → settled: the refund had settled too (failure_settle posted), bank cash comes back", async () => {
    const payment = await pay(1800);
    await h.control.advanceClock(3 * 86400);
    await runSettlementSweep();
    const created = await refund({ payment: payment.id });
    await runSettlementSweep(); // the refund's balance transaction is available at once
    expect((await paymentRow(payment.id)).status).toBe("refund_settled");
    const cash = (await chartBalances(merchant.merchantId, "USD")).bank_cash ?? 0n;
    await h.control.flushScheduler();
    await drain();
    await expectCameBack(payment.id, created.body.id, "refund_settled", "settled");
    const refunds = await sqlPool().query("select 1 from ledger_transactions where merchant_id = $1 and external_ref = $2", [merchant.merchantId, `refund:${created.body.id}:failure_settle`]);
    expect(refunds.rowCount).toBe(1);
    expect(((await chartBalances(merchant.merchantId, "USD")).bank_cash ?? 0n) - cash).toBe(1800n);
  });

  test("a partial refund that fails late leaves the status alone, restores the amounts, and announces the change with a new version", async () => {
    const payment = await pay(4000);
    const created = await refund({ payment: payment.id, amount: 1000 });
    const before = await paymentRow(payment.id);
    expect(before).toMatchObject({ status: "captured", amountRefunded: 1000n });
    await h.control.flushScheduler();
    await drain();
    expect(await db().refund.findUniqueOrThrow({ where: { id: created.body.id } })).toMatchObject({ status: "failed" });
    const row = await paymentRow(payment.id);
    expect(row).toMatchObject({ status: "captured", amountRefunded: 0n, amountRefundReserved: 0n });
    // The payment changed (amount_refunded went down), so its version went up, once (both PSP webhooks handled).
    expect(row.version).toBe(before.version + 1);
    // No status change: no history row, but the audit row and the merchant event with the new version.
    expect(await db().paymentEvent.count({ where: { paymentId: payment.id, version: row.version } })).toBe(0);
    const audit = await db().auditEvent.findMany({ where: { targetId: payment.id, action: "payment.refund_failed" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "system" });
    expect(audit[0]!.data).toMatchObject({ from: "captured", to: "captured", version: row.version, refund: created.body.id, amount: "1000" });
    const events = await db().merchantEvent.findMany({ where: { objectId: payment.id, type: "payment.refund_failed" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.objectVersion).toBe(row.version);
    expect(events[0]!.payload).toMatchObject({ id: payment.id, status: "captured", amount_refunded: 0, version: row.version });
    expect(await db().merchantEvent.count({ where: { objectId: created.body.id, type: "refund.failed" } })).toBe(1);
    await expectLedgerConsistent();
  });
});

/** A fully refunded payment with no failed refund, written directly (no PSP involved). */
async function insertRefunded(status: "refunded" | "refund_settled" = "refunded") {
  const id = newId("payment");
  await db().payment.create({
    data: {
      id, merchantId: merchant.merchantId, amount: 1000n, amountCaptured: 1000n, amountRefunded: 1000n, amountRefundReserved: 1000n,
      currency: "USD", status, captureMethod: "automatic", paymentMethodType: "card", paymentMethod: "pm_card_visa",
      idempotencyKey: randomBytes(8).toString("hex"), receiptNumber: randomBytes(6).toString("hex"), receiptToken: randomBytes(16).toString("hex"),
    },
  });
  return id;
}

describe("the way back without a failed refund is refused", () => {
  test("by the code: refunded → captured/settled needs the refund_failed cause", async () => {
    const id = await insertRefunded();
    for (const to of ["captured", "settled"] as const) {
      await expect(
        db().$transaction((tx) => transitionPayment(tx, { merchantId: merchant.merchantId, paymentId: id, from: ["refunded"], to, actor })),
      ).rejects.toMatchObject({ code: "invalid_state_transition" });
    }
    expect((await paymentRow(id)).status).toBe("refunded");
    expect(await db().paymentEvent.count({ where: { paymentId: id } })).toBe(0);
  });

  test("by the database: still fully refunded, no failed refund, or the wrong target status", async () => {
    const id = await insertRefunded();
    const update = (sql: string) => sqlPool().query(sql, [id]);
    // Still fully refunded.
    await expect(update("update payments set status = 'captured' where id = $1")).rejects.toThrow(/invalid_state_transition/);
    // Amounts lowered but no refund of it failed.
    await expect(update("update payments set status = 'captured', amount_refunded = 0, amount_refund_reserved = 0 where id = $1")).rejects.toThrow(/invalid_state_transition/);
    // Even the code path with the cause cannot lie its way past the trigger.
    await expect(
      db().$transaction(async (tx) => {
        await tx.$executeRaw`update payments set amount_refunded = 0, amount_refund_reserved = 0 where id = ${id}`;
        await transitionPayment(tx, { merchantId: merchant.merchantId, paymentId: id, from: ["refunded"], to: "captured", cause: "refund_failed", actor });
      }),
    ).rejects.toThrow(/invalid_state_transition/);
    // With a refund that failed after it succeeded: only the target the settlement says (captured: not settled).
    await db().refund.create({
      data: { id: newId("refund"), merchantId: merchant.merchantId, paymentId: id, amount: 1000n, currency: "USD", status: "failed", succeededAt: new Date(), failedAt: new Date() },
    });
    await expect(update("update payments set status = 'settled', amount_refunded = 0, amount_refund_reserved = 0 where id = $1")).rejects.toThrow(/invalid_state_transition/);
    await update("update payments set status = 'captured', amount_refunded = 0, amount_refund_reserved = 0 where id = $1");
    expect((await paymentRow(id)).status).toBe("captured");
    // refund_settled → captured is not a pair at all.
    const settledId = await insertRefunded("refund_settled");
    await expect(sqlPool().query("update payments set status = 'captured', amount_refunded = 0 where id = $1", [settledId])).rejects.toThrow(/invalid_state_transition/);
  });
});
