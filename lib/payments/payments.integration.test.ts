// Payments through the API against the real PSP sandbox over HTTP: every test card's behaviour, capture,
// cancel, illegal transitions, wallets, lists and the state history; the ledger stays balanced.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as getPaymentRoute } from "@/app/api/v1/payments/[id]/route";
import { GET as eventsRoute } from "@/app/api/v1/payments/[id]/events/route";
import { POST as captureRoute } from "@/app/api/v1/payments/[id]/capture/route";
import { POST as cancelRoute } from "@/app/api/v1/payments/[id]/cancel/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/payments/route";
import { db, sqlPool } from "@/lib/db/client";
import { createFundedWallet } from "@/lib/ledger/testing";
import { recoverStuckPayments } from "./recover-payments";
import { call, chartBalances, expectLedgerConsistent, makeMerchant, startPaymentsHarness, type PaymentsHarness } from "./testing";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };

beforeAll(async () => {
  h = await startPaymentsHarness();
  merchant = await makeMerchant("Payments");
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});

const create = (body: Record<string, unknown>, idempotencyKey?: string, secret = merchant.secret) =>
  call(createRoute, "/api/v1/payments", { secret, body: { amount: 2000, currency: "USD", ...body }, idempotencyKey });
const get = (id: string) => call(getPaymentRoute, `/api/v1/payments/${id}`, { secret: merchant.secret, params: { id } });
const capture = (id: string, body: Record<string, unknown> = {}) => call(captureRoute, `/api/v1/payments/${id}/capture`, { secret: merchant.secret, body, params: { id } });
const cancel = (id: string) => call(cancelRoute, `/api/v1/payments/${id}/cancel`, { secret: merchant.secret, body: {}, params: { id } });

describe("card outcomes", () => {
  test("visa, automatic capture → captured, with card details, receipt, fee and the capture posting", async () => {
    const before = await chartBalances(merchant.merchantId, "USD");
    const { status, body } = await create({ payment_method: "pm_card_visa", metadata: { order: "A1" } });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      object: "payment", status: "captured", amount: 2000, amount_captured: 2000, currency: "USD", capture_method: "automatic",
      payment_method_details: { type: "card", brand: "visa", last4: "4242" }, metadata: { order: "A1" },
    });
    expect(body.id).toMatch(/^pay_/);
    expect(body.psp_reference).toMatch(/^pi_/);
    expect(body.receipt_number).toMatch(/^\d{4}-\d{4}$/);
    expect(body.captured_at).not.toBeNull();
    const row = await db().payment.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.feeAmount).toBe(2000n * 29n / 1000n + 30n);
    const after = await chartBalances(merchant.merchantId, "USD");
    expect(after.merchant_pending! - (before.merchant_pending ?? 0n)).toBe(2000n);
    expect(after.psp_fees! - (before.psp_fees ?? 0n)).toBe(row.feeAmount);
    expect(after.psp_receivable! - (before.psp_receivable ?? 0n)).toBe(2000n - row.feeAmount!);
    const events = await call(eventsRoute, `/api/v1/payments/${body.id}/events`, { secret: merchant.secret, params: { id: body.id } });
    expect(events.body.data.map((e: any) => e.to_status)).toEqual(["pending", "authorized", "captured"]);
  });

  test("manual capture → authorized; partial capture → captured with amount_captured; second capture refused", async () => {
    const { body } = await create({ payment_method: "pm_card_mastercard", capture_method: "manual", amount: 5000 });
    expect(body.status).toBe("authorized");
    const captured = await capture(body.id, { amount_to_capture: 3000 });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: "captured", amount: 5000, amount_captured: 3000 });
    const again = await capture(body.id, { amount_to_capture: 1000 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("invalid_state_transition");
    expect((await cancel(body.id)).status).toBe(409);
  });

  test("manual capture then cancel → canceled; capture after cancel refused", async () => {
    const { body } = await create({ payment_method: "pm_card_visa", capture_method: "manual" });
    const canceled = await cancel(body.id);
    expect(canceled.body.status).toBe("canceled");
    expect((await capture(body.id)).body.error.code).toBe("invalid_state_transition");
    expect((await cancel(body.id)).body.status).toBe("canceled");
  });

  test("capturing more than authorized is refused", async () => {
    const { body } = await create({ payment_method: "pm_card_visa", capture_method: "manual", amount: 1000 });
    const response = await capture(body.id, { amount_to_capture: 1001 });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("amount_too_large");
  });

  test.each([
    ["pm_card_visa_chargeDeclined", "generic_decline"],
    ["pm_card_visa_chargeDeclinedInsufficientFunds", "insufficient_funds"],
    ["pm_card_chargeDeclinedExpiredCard", "expired_card"],
    ["pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc"],
    ["pm_card_chargeDeclinedProcessingError", "processing_error"],
  ])("%s → 402 card_declined, payment stored failed with %s", async (pm, code) => {
    const { status, body } = await create({ payment_method: pm });
    expect(status).toBe(402);
    expect(body.error).toMatchObject({ type: "card_error", code: "card_declined" });
    const id = body.error.message.match(/pay_[0-9a-z]+/)![0];
    const payment = await get(id);
    expect(payment.body).toMatchObject({ status: "failed", failure_code: code });
    expect(payment.body.psp_reference).toMatch(/^pi_/);
  });

  test("3DS required → pending with next_action; completing it → captured via recovery", async () => {
    const { status, body } = await create({ payment_method: "pm_card_threeDSecure2Required" });
    expect(status).toBe(200);
    expect(body.status).toBe("pending");
    expect(body.next_action).toMatchObject({ type: "use_stripe_sdk" });
    await h.control.complete3ds(body.psp_reference);
    await recoverStuckPayments({ olderThanMs: 0 });
    const after = await get(body.id);
    expect(after.body.status).toBe("captured");
    expect(after.body.next_action).toBeNull();
  });

  test("3DS failed → failed", async () => {
    const { body } = await create({ payment_method: "pm_card_authenticationRequired" });
    await h.control.fail3ds(body.psp_reference);
    await recoverStuckPayments({ olderThanMs: 0 });
    expect((await get(body.id)).body).toMatchObject({ status: "failed", failure_code: "payment_intent_authentication_failure" });
  });

  test("bank debit: processing → pending; after the clock advances → captured", async () => {
    const { body } = await create({ payment_method: "pm_usBankAccount_success" });
    expect(body.status).toBe("pending");
    await recoverStuckPayments({ olderThanMs: 0 });
    expect((await get(body.id)).body.status).toBe("pending");
    await h.control.advanceClock(200);
    await recoverStuckPayments({ olderThanMs: 0 });
    expect((await get(body.id)).body).toMatchObject({ status: "captured", payment_method_details: { type: "us_bank_account" } });
  });

  test("an unknown payment method is refused by the PSP: 400 and the payment failed", async () => {
    const { status, body } = await create({ payment_method: "pm_does_not_exist" });
    expect(status).toBe(400);
    const id = body.error.message.match(/pay_[0-9a-z]+/)![0];
    expect((await get(id)).body.status).toBe("failed");
  });

  test("a pending payment can be canceled at the PSP", async () => {
    const { body } = await create({ payment_method: "pm_card_threeDSecure2Required" });
    const canceled = await cancel(body.id);
    expect(canceled.body.status).toBe("canceled");
  });
});

describe("wallet payments", () => {
  test("debit the customer's wallet, credit merchant_available; insufficient funds → 402 and a failed payment", async () => {
    const wallet = await createFundedWallet(merchant.merchantId, "EUR", 5000n);
    const ok = await create({ payment_method: wallet, amount: 3000, currency: "EUR" });
    expect(ok.body).toMatchObject({ status: "settled", amount_captured: 3000, payment_method_details: { type: "settle_wallet" } });
    const refused = await create({ payment_method: wallet, amount: 3000, currency: "EUR" });
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("insufficient_funds");
    const { rows } = await sqlPool().query("select balance_minor from ledger_accounts where id = $1", [wallet]);
    expect(BigInt(rows[0].balance_minor)).toBe(2000n);
    const other = await makeMerchant("Other");
    const foreign = await create({ payment_method: wallet, amount: 100, currency: "EUR" }, undefined, other.secret);
    expect(foreign.status).toBe(404);
  });
});

describe("API edges", () => {
  test("same key replays; another merchant's payment is 404; list filters and pages", async () => {
    const key = `replay-${Date.now()}`;
    const first = await create({ payment_method: "pm_card_visa", amount: 777, customer: "cus_list" }, key);
    const second = await create({ payment_method: "pm_card_visa", amount: 777, customer: "cus_list" }, key);
    expect(second.body).toEqual(first.body);
    const other = await makeMerchant("Other");
    const foreign = await call(getPaymentRoute, `/api/v1/payments/${first.body.id}`, { secret: other.secret, params: { id: first.body.id } });
    expect(foreign.status).toBe(404);
    await create({ payment_method: "pm_card_visa", amount: 778, customer: "cus_list" });
    const list = await call(listRoute, "/api/v1/payments?customer=cus_list&limit=1&amount[gte]=777", { secret: merchant.secret });
    expect(list.body).toMatchObject({ object: "list", has_more: true });
    expect(list.body.data).toHaveLength(1);
    const next = await call(listRoute, `/api/v1/payments?customer=cus_list&limit=1&starting_after=${list.body.data[0].id}`, { secret: merchant.secret });
    expect(next.body.data[0].id).toBe(first.body.id);
    const failed = await call(listRoute, "/api/v1/payments?status=failed&limit=100", { secret: merchant.secret });
    expect(failed.body.data.every((p: any) => p.status === "failed")).toBe(true);
  });

  test("bad input changes nothing", async () => {
    const count = await db().payment.count();
    for (const body of [{ amount: -1 }, { amount: 10.5 }, { payment_method: "tok_visa" }, { capture_method: "later" }, { surprise: 1 }]) {
      const { status } = await create({ payment_method: "pm_card_visa", ...body });
      expect(status).toBe(400);
    }
    expect(await db().payment.count()).toBe(count);
  });
});
