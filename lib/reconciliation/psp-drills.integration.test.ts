// Reconciliation against the real PSP sandbox over HTTP, through the stripe SDK: settlement faults
// injected at the PSP (a missing, an extra and an amount-off balance transaction) are found exactly,
// and a capture whose webhook never arrived is reported, re-synced and then reconciles clean.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { POST as createPaymentRoute } from "@/app/api/v1/payments/route";
import { POST as webhookRoute } from "@/app/api/webhooks/stripe/route";
import { db } from "@/lib/db/client";
import { call, expectLedgerConsistent, makeMerchant, startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { getStripe } from "@/lib/psp/psp-gateway";
import { processPspEvents } from "@/lib/webhooks/psp/process-psp-events";
import { findUnexplainedAlert, listDiscrepancies } from "./list-runs";
import { resolveDiscrepancy } from "./resolve-discrepancy";
import { startReconciliationRun } from "./start-run";

let h: PaymentsHarness;
const actor = { type: "system", id: "test" } as const;

beforeAll(async () => {
  h = await startPaymentsHarness({ webhookRoute: (request) => webhookRoute(request) });
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});
// Every test starts with an empty PSP account: an injected extra balance transaction belongs to no merchant.
beforeEach(async () => {
  await h.control.reset();
});

const DAY_MS = 86_400_000;
function today(): { period_start: Date; period_end: Date } {
  const start = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return { period_start: new Date(start), period_end: new Date(start + DAY_MS) };
}

async function pay(secret: string, body: Record<string, unknown>) {
  const response = await call(createPaymentRoute, "/api/v1/payments", { secret, body: { currency: "USD", payment_method: "pm_card_visa", ...body } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { id: string; status: string; psp_reference: string };
}

async function chargeBalanceTransaction(paymentIntentId: string): Promise<string> {
  const pi = await getStripe().paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge"] });
  const charge = pi.latest_charge as { balance_transaction: string | { id: string } };
  return typeof charge.balance_transaction === "string" ? charge.balance_transaction : charge.balance_transaction.id;
}

async function summary(merchantId: string, runId: string) {
  const list = await listDiscrepancies(merchantId, runId, { limit: 100 });
  return list.data
    .map((d) => ({ class: d.class, leg: d.leg, settle_id: d.settle_id, balance_transaction: d.balance_transaction, difference: Number(d.difference) }))
    .sort((a, b) => `${a.class}|${a.settle_id}`.localeCompare(`${b.class}|${b.settle_id}`));
}

describe("settlement faults injected at the PSP", () => {
  test("missing, extra and amount-off balance transactions: the run finds exactly those three, every cent explained", async () => {
    const { merchantId, secret } = await makeMerchant("Recon drills");
    const clean = await pay(secret, { amount: 1500 });
    const missing = await pay(secret, { amount: 2500 });
    const off = await pay(secret, { amount: 3500 });
    expect([clean.status, missing.status, off.status]).toEqual(["captured", "captured", "captured"]);

    const missingBt = await chargeBalanceTransaction(missing.psp_reference);
    const offBt = await chargeBalanceTransaction(off.psp_reference);
    await h.control.alterSettlement({ kind: "missing_balance_transaction", balanceTransactionId: missingBt });
    await h.control.alterSettlement({ kind: "amount_off", balanceTransactionId: offBt, delta: 7 });
    const extra = (await h.control.alterSettlement({ kind: "extra_balance_transaction", amount: 999 })) as { id: string };

    const run = await startReconciliationRun({ merchantId, actor, request: today() });
    expect(run.state).toBe("completed");
    expect(await summary(merchantId, run.id)).toEqual([
      { class: "amount_mismatch", leg: "psp_settle", settle_id: off.id, balance_transaction: offBt, difference: 7 },
      { class: "missing_at_psp", leg: "psp_settle", settle_id: missing.id, balance_transaction: null, difference: -(2500 - Math.round(2500 * 0.029) - 30) },
      { class: "missing_in_settle", leg: "psp_settle", settle_id: null, balance_transaction: extra.id, difference: 999 },
    ]);
    expect(run).toMatchObject({ psp_record_count: 3, settle_record_count: 3, matched_count: 1, discrepancy_count: 3, unexplained_count: 3 });
    const usd = run.totals!.find((t) => t.currency === "USD")!;
    expect(Number(usd.psp_unexplained)).toBe(0);
    expect((await findUnexplainedAlert(merchantId))?.id).toBe(run.id);
  });
});

describe("a capture whose webhook never arrived", () => {
  test("the run reports it, a re-sync fixes it, the re-run is clean", async () => {
    const { merchantId, secret } = await makeMerchant("Recon dropped webhook");
    await h.control.setWebhookFaults({ dropRate: 1 });
    const payment = await pay(secret, { amount: 4200, payment_method: "pm_card_threeDSecure2Required" });
    expect(payment.status).toBe("pending");
    await h.control.complete3ds(payment.psp_reference);
    await h.control.flushWebhooks();
    await processPspEvents();
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("pending");
    await h.control.setWebhookFaults({});

    const first = await startReconciliationRun({ merchantId, actor, request: today() });
    expect(first.state).toBe("completed");
    const found = await listDiscrepancies(merchantId, first.id, { limit: 100 });
    expect(found.data.map((d) => [d.class, d.settle_id, d.suggested_action])).toEqual([["status_mismatch", payment.id, "resync"]]);

    const resolved = await resolveDiscrepancy({ merchantId, actor, discrepancyId: found.data[0]!.id, action: "resync", note: "capture webhook was dropped" });
    expect(resolved).toMatchObject({ status: "resolved", resolution: "resync" });
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("captured");
    expect(await findUnexplainedAlert(merchantId)).toBeNull();

    const second = await startReconciliationRun({ merchantId, actor, request: today() });
    expect(second).toMatchObject({ state: "completed", version: 2, current: true, discrepancy_count: 0, unexplained_count: 0, matched_count: 1 });
    expect(await findUnexplainedAlert(merchantId)).toBeNull();
  });
});
