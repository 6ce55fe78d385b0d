// Refunds against the PSP sandbox: partial and full, racing partial refunds never over-refund, approval
// by a second admin, late PSP failure, settlement to refund_settled; the ledger stays balanced.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as getRefundRoute } from "@/app/api/v1/refunds/[id]/route";
import { GET as listRefundsRoute, POST as refundRoute } from "@/app/api/v1/refunds/route";
import { POST as createRoute } from "@/app/api/v1/payments/route";
import { db } from "@/lib/db/client";
import { runSettlementSweep } from "@/lib/payments/settle-payments";
import { call, chartBalances, expectLedgerConsistent, makeMerchant, startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { approveRefund, createRefund, rejectRefund } from "./create-refund";
import { recoverStuckRefunds } from "./recover-refunds";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };

beforeAll(async () => {
  h = await startPaymentsHarness();
  merchant = await makeMerchant("Refunds");
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});

const pay = async (amount: number, paymentMethod = "pm_card_visa") =>
  (await call(createRoute, "/api/v1/payments", { secret: merchant.secret, body: { amount, currency: "USD", payment_method: paymentMethod } })).body;
const refund = (body: Record<string, unknown>, idempotencyKey?: string) => call(refundRoute, "/api/v1/refunds", { secret: merchant.secret, body, idempotencyKey });

describe("refunds", () => {
  test("partial then the rest: amounts add up, payment becomes refunded, then refund_settled after settlement", async () => {
    const payment = await pay(5000);
    const first = await refund({ payment: payment.id, amount: 2000, reason: "requested_by_customer" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: "refund", status: "succeeded", amount: 2000, payment: payment.id });
    expect(first.body.id).toMatch(/^re_/);
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("captured");
    const rest = await refund({ payment: payment.id });
    expect(rest.body.amount).toBe(3000);
    const after = await db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(after).toMatchObject({ status: "refunded", amountRefunded: 5000n });
    const more = await refund({ payment: payment.id, amount: 1 });
    expect(more.status).toBe(409);
    await h.control.advanceClock(3 * 86400);
    await runSettlementSweep();
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("refund_settled");
    const got = await call(getRefundRoute, `/api/v1/refunds/${first.body.id}`, { secret: merchant.secret, params: { id: first.body.id } });
    expect(got.body.settled_at).not.toBeNull();
    const list = await call(listRefundsRoute, `/api/v1/refunds?payment=${payment.id}`, { secret: merchant.secret });
    expect(list.body.data).toHaveLength(2);
  });

  test("a partial refund's success announces the payment change with a new version; the full one bumps the version once", async () => {
    const payment = await pay(6000);
    const paymentRow = () => db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    const before = await paymentRow();
    const partial = await refund({ payment: payment.id, amount: 2500 });
    expect(partial.body.status).toBe("succeeded");
    const row = await paymentRow();
    expect(row).toMatchObject({ status: "captured", amountRefunded: 2500n });
    // amount_refunded went up, the status did not change: one new version, in the same UPDATE.
    expect(row.version).toBe(before.version + 1);
    // No status change: no history row, but the audit row and the merchant event carry the new version.
    expect(await db().paymentEvent.count({ where: { paymentId: payment.id, version: row.version } })).toBe(0);
    const audit = await db().auditEvent.findMany({ where: { targetId: payment.id, action: "payment.partially_refunded" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data).toMatchObject({ from: "captured", to: "captured", version: row.version, reason: `refund:${partial.body.id}`, refund: partial.body.id, amount: "2500" });
    const events = await db().merchantEvent.findMany({ where: { objectId: payment.id, type: "payment.partially_refunded" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.objectVersion).toBe(row.version);
    expect(events[0]!.payload).toMatchObject({ id: payment.id, status: "captured", amount_refunded: 2500, version: row.version });
    expect(await db().merchantEvent.count({ where: { objectId: partial.body.id, type: "refund.succeeded" } })).toBe(1);

    // The rest: amount and status change together, one bump (transitionPayment's), announced as payment.refunded.
    const rest = await refund({ payment: payment.id });
    expect(rest.body).toMatchObject({ status: "succeeded", amount: 3500 });
    const full = await paymentRow();
    expect(full).toMatchObject({ status: "refunded", amountRefunded: 6000n });
    expect(full.version).toBe(row.version + 1);
    const refunded = await db().merchantEvent.findMany({ where: { objectId: payment.id, type: "payment.refunded" } });
    expect(refunded.map((e) => e.objectVersion)).toEqual([full.version]);
    expect(await db().merchantEvent.count({ where: { objectId: payment.id, type: "payment.partially_refunded" } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: payment.id, action: { in: ["payment.refunded", "payment.partially_refunded"] } } })).toBe(2);
  });

  test("20 partial refunds racing on one payment never refund more than captured", async () => {
    const payment = await pay(10_000);
    const results = await Promise.all(Array.from({ length: 20 }, () => refund({ payment: payment.id, amount: 700 })));
    const succeeded = results.filter((r) => r.status === 200 && r.body.status === "succeeded");
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.map((r) => r.body.error.code).every((code) => ["amount_too_large", "lock_timeout"].includes(code))).toBe(true);
    expect(succeeded.length).toBe(14); // 14 × 700 = 9800 ≤ 10000 < 15 × 700
    const row = await db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row.amountRefunded).toBe(9800n);
    expect(row.amountRefundReserved).toBe(9800n);
  });

  test("refunding more than captured, an uncaptured payment, another merchant's payment → refused, nothing reserved", async () => {
    const payment = await pay(1000);
    expect((await refund({ payment: payment.id, amount: 1001 })).body.error.code).toBe("amount_too_large");
    const manual = (await call(createRoute, "/api/v1/payments", { secret: merchant.secret, body: { amount: 1000, currency: "USD", payment_method: "pm_card_visa", capture_method: "manual" } })).body;
    expect((await refund({ payment: manual.id })).body.error.code).toBe("invalid_state_transition");
    const other = await makeMerchant("Other");
    const foreign = await call(refundRoute, "/api/v1/refunds", { secret: other.secret, body: { payment: payment.id } });
    expect(foreign.status).toBe(404);
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).amountRefundReserved).toBe(0n);
  });

  test("approval: pending_approval holds the amount; the requester cannot approve; another admin can; rejection releases", async () => {
    const payment = await pay(4000);
    const requester = { type: "user" as const, id: "usr_requester" };
    const held = await createRefund({ merchantId: merchant.merchantId, paymentId: payment.id, amount: 1000n, actor: requester, requireApproval: true });
    expect(held.status).toBe("pending_approval");
    await expect(approveRefund({ merchantId: merchant.merchantId, refundId: held.id, actor: requester })).rejects.toMatchObject({ code: "permission_denied" });
    const approved = await approveRefund({ merchantId: merchant.merchantId, refundId: held.id, actor: { type: "user", id: "usr_approver" } });
    expect(approved).toMatchObject({ status: "succeeded", approved_by: "usr_approver" });
    const second = await createRefund({ merchantId: merchant.merchantId, paymentId: payment.id, amount: 3000n, actor: requester, requireApproval: true });
    expect((await refund({ payment: payment.id, amount: 1 })).body.error.code).toBe("amount_too_large");
    const rejected = await rejectRefund({ merchantId: merchant.merchantId, refundId: second.id, actor: { type: "user", id: "usr_approver" } });
    expect(rejected.status).toBe("canceled");
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).amountRefundReserved).toBe(1000n);
  });

  test("a refund the PSP fails later gives the merchant the money back", async () => {
    const before = await chartBalances(merchant.merchantId, "USD");
    const payment = await pay(3000, "pm_card_refundFail");
    const created = await refund({ payment: payment.id, amount: 1000 });
    expect(created.body.status).toBe("succeeded");
    await h.control.flushScheduler();
    expect(await recoverStuckRefunds({ olderThanMs: 0 })).toBeGreaterThanOrEqual(0);
    // The refund is succeeded (not pending) so recovery does not look at it; a webhook would. Sync it directly:
    const { syncRefundById } = await import("@/lib/webhooks/psp/sync-objects");
    await syncRefundById(created.body.psp_reference);
    const row = await db().refund.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.status).toBe("failed");
    const paymentRow = await db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(paymentRow).toMatchObject({ amountRefunded: 0n, amountRefundReserved: 0n });
    const after = await chartBalances(merchant.merchantId, "USD");
    expect(after.merchant_pending! - (before.merchant_pending ?? 0n)).toBe(3000n);
  });
});
