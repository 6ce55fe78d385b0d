// PSP webhooks end to end: the sandbox delivers real, signed events over HTTP to our route; duplicates,
// reordering and drops end in the same state (drops repaired by recovery); disputes won and lost leave the
// ledger balanced with the right balances.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as evidenceRoute } from "@/app/api/v1/disputes/[id]/evidence/route";
import { GET as listDisputesRoute } from "@/app/api/v1/disputes/route";
import { POST as createRoute } from "@/app/api/v1/payments/route";
import { POST as webhookRoute } from "@/app/api/webhooks/stripe/route";
import { db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { recoverStuckPayments } from "@/lib/payments/recover-payments";
import { runSettlementSweep } from "@/lib/payments/settle-payments";
import { call, chartBalances, expectLedgerConsistent, makeMerchant, startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { getStripe } from "@/lib/psp/psp-gateway";
import { processPspEvents } from "./process-psp-events";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };

beforeAll(async () => {
  h = await startPaymentsHarness({ webhookRoute: (request) => webhookRoute(request) });
  merchant = await makeMerchant("Webhooks");
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});

const create = (body: Record<string, unknown>) => call(createRoute, "/api/v1/payments", { secret: merchant.secret, body: { amount: 2000, currency: "USD", ...body } });

/** Delivers every webhook and waits until every stored event is handled (inline processing included). */
async function drain(): Promise<void> {
  for (let round = 0; round < 5; round++) {
    await h.control.flushWebhooks();
    await processPspEvents();
    for (let wait = 0; wait < 100 && (await db().pspEvent.count({ where: { status: { in: ["pending", "processing"] } } })) > 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await processPspEvents();
    }
  }
}

function signed(payload: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return getStripe().webhooks.generateTestHeaderString({ payload, secret: getEnv().STRIPE_WEBHOOK_SECRET, timestamp });
}

describe("intake", () => {
  test("bad, missing and stale signatures → 400 and nothing stored; duplicates → 200 ignored; unknown types recorded", async () => {
    const payload = JSON.stringify({ id: `evt_test_${Date.now()}`, object: "event", type: "sandbox.unknown_thing", created: Math.floor(Date.now() / 1000), data: { object: { id: "x_1" } }, livemode: false, api_version: "2026-10-28.endive", pending_webhooks: 1, request: null });
    const post = (headers: Record<string, string>) => webhookRoute(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers, body: payload }));
    const before = await db().pspEvent.count();
    expect((await post({})).status).toBe(400);
    expect((await post({ "stripe-signature": "t=1,v1=deadbeef" })).status).toBe(400);
    expect((await post({ "stripe-signature": signed(payload, Math.floor(Date.now() / 1000) - 3600) })).status).toBe(400);
    expect(await db().pspEvent.count()).toBe(before);
    const first = await post({ "stripe-signature": signed(payload) });
    expect(first.status).toBe(200);
    const second = await post({ "stripe-signature": signed(payload) });
    expect(await second.json()).toMatchObject({ received: true, duplicate: true });
    await processPspEvents();
    const row = await db().pspEvent.findFirstOrThrow({ where: { type: "sandbox.unknown_thing" } });
    expect(row.status).toBe("ignored");
  });

  test("intake only stores the event (pending); processing takes it, and takes again a claim whose process died once its lease runs out", async () => {
    const id = `evt_stored_${Date.now().toString(36)}`;
    const payload = JSON.stringify({ id, object: "event", type: "sandbox.stored_thing", created: Math.floor(Date.now() / 1000), data: { object: { id: "x_2" } }, livemode: false, api_version: "2026-10-28.endive", pending_webhooks: 1, request: null });
    const response = await webhookRoute(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers: { "stripe-signature": signed(payload) }, body: payload }));
    expect(response.status).toBe(200);
    // Nothing processed in the request: the worker's loop does that.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await db().pspEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "pending", attempts: 0 });
    // A process claimed it and died: the claim holds until its lease runs out, then the event is taken again.
    await db().pspEvent.update({ where: { id }, data: { status: "processing", attempts: 1, lockedUntil: new Date(Date.now() + 60_000) } });
    await processPspEvents();
    expect((await db().pspEvent.findUniqueOrThrow({ where: { id } })).status).toBe("processing");
    await db().pspEvent.update({ where: { id }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    await processPspEvents();
    expect(await db().pspEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "ignored", attempts: 2, lockedUntil: null });
  });
});

describe("delivery faults end in the same state", () => {
  test("duplicated and reordered webhooks: payments reach their final states exactly once", async () => {
    await h.control.setWebhookFaults({ duplicateRate: 0.5, reorder: true, reorderWindow: 4 });
    const manual = await create({ payment_method: "pm_card_visa", capture_method: "manual" });
    const tds = await create({ payment_method: "pm_card_threeDSecure2Required" });
    await h.control.complete3ds(tds.body.psp_reference);
    const bank = await create({ payment_method: "pm_usBankAccount_success" });
    await h.control.advanceClock(200);
    await h.control.setWebhookFaults({});
    await drain();
    const rows = await db().payment.findMany({ where: { id: { in: [manual.body.id, tds.body.id, bank.body.id] } } });
    const byId = Object.fromEntries(rows.map((row) => [row.id, row.status]));
    expect(byId[manual.body.id]).toBe("authorized");
    expect(byId[tds.body.id]).toBe("captured");
    expect(byId[bank.body.id]).toBe("captured");
    const events = await db().paymentEvent.findMany({ where: { paymentId: bank.body.id } });
    expect(events.filter((e) => e.toStatus === "captured")).toHaveLength(1);
    const failed = await db().pspEvent.count({ where: { status: { in: ["failed", "dead"] } } });
    expect(failed).toBe(0);
  });

  test("dropped webhooks: recovery repairs the payment from the PSP's truth", async () => {
    await h.control.setWebhookFaults({ dropRate: 1 });
    const tds = await create({ payment_method: "pm_card_threeDSecure2Required" });
    await h.control.complete3ds(tds.body.psp_reference);
    await drain();
    expect((await db().payment.findUniqueOrThrow({ where: { id: tds.body.id } })).status).toBe("pending");
    await h.control.setWebhookFaults({});
    await recoverStuckPayments({ olderThanMs: 0 });
    expect((await db().payment.findUniqueOrThrow({ where: { id: tds.body.id } })).status).toBe("captured");
  });
});

describe("disputes", () => {
  async function disputedPayment(): Promise<{ paymentId: string; disputeId: string }> {
    const { body } = await create({ payment_method: "pm_card_createDispute", amount: 10_000 });
    expect(body.status).toBe("captured");
    await h.control.flushScheduler();
    await drain();
    const list = await call(listDisputesRoute, `/api/v1/disputes?payment=${body.id}`, { secret: merchant.secret });
    expect(list.body.data).toHaveLength(1);
    return { paymentId: body.id, disputeId: list.body.data[0].id };
  }

  test("a lost dispute: payment in chargeback, merchant debited amount, dispute fee booked, ledger balanced", async () => {
    const before = await chartBalances(merchant.merchantId, "USD");
    const { paymentId, disputeId } = await disputedPayment();
    const payment = await db().payment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(payment.status).toBe("chargeback");
    const submitted = await call(evidenceRoute, `/api/v1/disputes/${disputeId}/evidence`, {
      secret: merchant.secret, params: { id: disputeId }, body: { evidence: { uncategorized_text: "losing_evidence" } },
    });
    expect(submitted.body.status).toBe("under_review");
    await h.control.flushScheduler();
    await drain();
    const dispute = await db().dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect(dispute.status).toBe("lost");
    expect(dispute.closedAt).not.toBeNull();
    expect(dispute.feeAmount).toBe(1500n);
    expect((await db().payment.findUniqueOrThrow({ where: { id: paymentId } })).status).toBe("chargeback");
    const after = await chartBalances(merchant.merchantId, "USD");
    // capture +10000 then chargeback −10000 on merchant_pending; fees: processing + dispute fee.
    expect(after.merchant_pending! - (before.merchant_pending ?? 0n)).toBe(0n);
    expect(after.psp_fees! - (before.psp_fees ?? 0n)).toBe(payment.feeAmount! + 1500n);
  });

  test("a won dispute: amount reinstated, payment back to settled", async () => {
    const before = await chartBalances(merchant.merchantId, "USD");
    const { paymentId, disputeId } = await disputedPayment();
    await call(evidenceRoute, `/api/v1/disputes/${disputeId}/evidence`, {
      secret: merchant.secret, params: { id: disputeId }, body: { evidence: { uncategorized_text: "winning_evidence" } },
    });
    await h.control.flushScheduler();
    await drain();
    expect((await db().dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe("won");
    const payment = await db().payment.findUniqueOrThrow({ where: { id: paymentId } });
    expect(payment.status).toBe("settled");
    const after = await chartBalances(merchant.merchantId, "USD");
    expect(after.merchant_pending! - (before.merchant_pending ?? 0n)).toBe(10_000n);
    expect(after.psp_fees! - (before.psp_fees ?? 0n)).toBe(payment.feeAmount! + 1500n);
  });
});

describe("settlement", () => {
  test("available balance transactions settle payments: bank_cash up, receivable netted, merchant_available credited", async () => {
    const m = await makeMerchant("Settling");
    const { body } = await call(createRoute, "/api/v1/payments", { secret: m.secret, body: { amount: 5000, currency: "USD", payment_method: "pm_card_visa" } });
    await runSettlementSweep();
    expect((await db().payment.findUniqueOrThrow({ where: { id: body.id } })).status).toBe("captured");
    await h.control.advanceClock(3 * 86400);
    await drain();
    await runSettlementSweep();
    const payment = await db().payment.findUniqueOrThrow({ where: { id: body.id } });
    expect(payment.status).toBe("settled");
    const balances = await chartBalances(m.merchantId, "USD");
    expect(balances).toMatchObject({ merchant_available: 5000n, merchant_pending: 0n, psp_receivable: 0n, bank_cash: 5000n - payment.feeAmount!, psp_fees: payment.feeAmount });
  });
});
