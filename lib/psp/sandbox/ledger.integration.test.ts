// Refunds, disputes, balance transactions, multi-currency settlement, payouts and settlement tampering, via the SDK.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardIntent, expectStripeError, startHarness, type Harness } from "./test-support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: { payoutSchedule: "manual" } });
});
afterAll(() => h.close());

async function disputeFor(pi: Stripe.PaymentIntent): Promise<Stripe.Dispute> {
  await h.control.flushScheduler();
  const list = await h.stripe.disputes.list({ payment_intent: pi.id });
  expect(list.data).toHaveLength(1);
  return list.data[0];
}

describe("refunds", () => {
  it("several partial refunds up to the captured amount, and no more", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_visa", { amount: 1000 });
    await h.stripe.refunds.create({ payment_intent: pi.id, amount: 300 });
    await h.stripe.refunds.create({ charge: pi.latest_charge as string, amount: 700, reason: "requested_by_customer" });
    const again = await expectStripeError(h.stripe.refunds.create({ payment_intent: pi.id, amount: 1 }));
    expect(again.code).toBe("charge_already_refunded");
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string, { expand: ["refunds"] });
    expect(charge).toMatchObject({ amount_refunded: 1000, refunded: true });
    expect(charge.refunds?.data).toHaveLength(2);
    const refunds = await h.stripe.refunds.list({ payment_intent: pi.id });
    expect(refunds.data.map((r) => r.amount).sort()).toEqual([300, 700]);
    const retrieved = await h.stripe.refunds.retrieve(refunds.data[0].id, { expand: ["balance_transaction"] });
    expect((retrieved.balance_transaction as Stripe.BalanceTransaction).type).toBe("refund");
  });

  it("pm_card_refundFail: refund succeeds, then fails with a refund_failure balance transaction", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_refundFail", { amount: 1500 });
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.status).toBe("succeeded");
    await h.control.flushScheduler();
    const failed = await h.stripe.refunds.retrieve(refund.id, { expand: ["failure_balance_transaction"] });
    expect(failed).toMatchObject({ status: "failed", failure_reason: "expired_or_canceled_card" });
    expect((failed.failure_balance_transaction as Stripe.BalanceTransaction).type).toBe("refund_failure");
    expect((await h.stripe.charges.retrieve(pi.latest_charge as string)).amount_refunded).toBe(0);
    const events = await h.stripe.events.list({ types: ["refund.failed", "charge.refund.updated"] });
    expect(events.data.filter((e) => (e.data.object as Stripe.Refund).id === refund.id).map((e) => e.type).sort()).toEqual(["charge.refund.updated", "refund.failed"]);
  });

  it("an uncaptured intent cannot be refunded; cancelling it releases the authorisation", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_visa", { capture_method: "manual" });
    const error = await expectStripeError(h.stripe.refunds.create({ payment_intent: pi.id }));
    expect(error.code).toBe("charge_not_refundable");
    const canceled = await h.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: "requested_by_customer" });
    expect(canceled).toMatchObject({ status: "canceled", cancellation_reason: "requested_by_customer", amount_capturable: 0 });
  });
});

describe("disputes", () => {
  it("chargeback won with winning evidence: funds withdrawn, then reinstated", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_createDispute", { amount: 5000 });
    const dispute = await disputeFor(pi);
    expect(dispute).toMatchObject({ status: "needs_response", reason: "fraudulent", amount: 5000, is_charge_refundable: false });
    expect(dispute.balance_transactions).toHaveLength(1);
    expect(dispute.balance_transactions[0]).toMatchObject({ type: "adjustment", reporting_category: "dispute", amount: -5000, fee: 1500 });
    expect((await h.stripe.charges.retrieve(pi.latest_charge as string)).disputed).toBe(true);
    const refusal = await expectStripeError(h.stripe.refunds.create({ payment_intent: pi.id }));
    expect(refusal.code).toBe("charge_disputed");
    const submitted = await h.stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: "winning_evidence", customer_name: "Jenny" }, submit: true });
    expect(submitted.status).toBe("under_review");
    expect(submitted.evidence_details.submission_count).toBe(1);
    await h.control.flushScheduler();
    const won = await h.stripe.disputes.retrieve(dispute.id);
    expect(won.status).toBe("won");
    expect(won.balance_transactions.map((bt) => bt.reporting_category)).toEqual(["dispute", "dispute_reversal"]);
    const types = (await h.stripe.events.list({ type: "charge.dispute.*", limit: 20 })).data.filter((e) => (e.data.object as Stripe.Dispute).id === dispute.id).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["charge.dispute.created", "charge.dispute.funds_withdrawn", "charge.dispute.updated", "charge.dispute.closed", "charge.dispute.funds_reinstated"]));
  });

  it("chargeback lost by closing it; control-plane resolution works too", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_createDispute");
    const dispute = await disputeFor(pi);
    const closed = await h.stripe.disputes.close(dispute.id);
    expect(closed.status).toBe("lost");
    const pi2 = await cardIntent(h.stripe, "pm_card_createDisputeProductNotReceived");
    const d2 = await disputeFor(pi2);
    expect(d2.reason).toBe("product_not_received");
    expect(await h.control.resolveDispute(d2.id, "won")).toMatchObject({ status: "won" });
  });

  it("inquiry: no money moves until escalated", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_createDisputeInquiry");
    const inquiry = await disputeFor(pi);
    expect(inquiry).toMatchObject({ status: "warning_needs_response", balance_transactions: [], is_charge_refundable: true });
    const escalated = await h.stripe.disputes.update(inquiry.id, { evidence: { uncategorized_text: "escalate_inquiry_evidence" }, submit: true });
    expect(escalated.status).toBe("needs_response");
    expect(escalated.balance_transactions).toHaveLength(1);
  });
});

describe("settlement, balance transactions and payouts", () => {
  it("JPY and EUR charges settle in USD with exchange_rate, fee, net and available_on", async () => {
    const jpy = await cardIntent(h.stripe, "pm_card_visa", { amount: 15000, currency: "jpy", expand: ["latest_charge.balance_transaction"] });
    const eur = await cardIntent(h.stripe, "pm_card_visa", { amount: 9200, currency: "eur", expand: ["latest_charge.balance_transaction"] });
    const jpyBt = (jpy.latest_charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction;
    const eurBt = (eur.latest_charge as Stripe.Charge).balance_transaction as Stripe.BalanceTransaction;
    expect(jpyBt).toMatchObject({ currency: "usd", amount: 10000, reporting_category: "charge", type: "charge", status: "pending" });
    expect(jpyBt.exchange_rate).toBeCloseTo(1 / 150, 6);
    expect(eurBt.currency).toBe("usd");
    expect(eurBt.amount).toBe(10000);
    expect(jpyBt.source).toBe((jpy.latest_charge as Stripe.Charge).id);
    for (const bt of [jpyBt, eurBt]) {
      expect(bt.fee).toBeGreaterThan(0);
      expect(bt.net).toBe(bt.amount - bt.fee);
      expect(bt.fee_details[0]).toMatchObject({ type: "stripe_fee", currency: "usd", amount: bt.fee });
      expect(bt.available_on).toBeGreaterThan(bt.created);
    }
    const refund = await h.stripe.refunds.create({ payment_intent: jpy.id, amount: 1500, expand: ["balance_transaction"] });
    const refundBt = refund.balance_transaction as Stripe.BalanceTransaction;
    expect(refundBt).toMatchObject({ amount: -1000, currency: "usd", fee: 0, reporting_category: "refund" });
    const bad = await expectStripeError(h.stripe.paymentIntents.create({ amount: 1005, currency: "kwd" }));
    expect(bad.code).toBe("invalid_charge_amount");
  });

  it("automatic payout sweeps the available balance; BTs by payout sum to the payout", async () => {
    await h.control.reset();
    const a = await cardIntent(h.stripe, "pm_card_visa", { amount: 10000 });
    await cardIntent(h.stripe, "pm_card_visa", { amount: 5000 });
    await h.stripe.refunds.create({ payment_intent: a.id, amount: 2000 });
    // The refund is debited at once while the charges are still pending: nothing to pay out yet.
    expect(await h.control.runPayouts()).toBeNull();
    await h.control.advanceClock(3 * 86400);
    const balance = await h.stripe.balance.retrieve();
    const available = balance.available[0].amount;
    expect(available).toBeGreaterThan(0);
    const payout = (await h.control.runPayouts()) as Stripe.Payout;
    expect(payout).toMatchObject({ automatic: true, status: "pending", amount: available, reconciliation_status: "in_progress" });
    const txns = await h.stripe.balanceTransactions.list({ payout: payout.id, limit: 100 }).autoPagingToArray({ limit: 1000 });
    const payoutBt = txns.find((t) => t.type === "payout")!;
    expect(payoutBt.amount).toBe(-payout.amount);
    expect(txns.filter((t) => t.type !== "payout").reduce((sum, t) => sum + t.net, 0)).toBe(payout.amount);
    await h.control.advanceClock(3 * 86400);
    const paid = await h.stripe.payouts.retrieve(payout.id);
    expect(paid).toMatchObject({ status: "paid", reconciliation_status: "completed" });
    const created = await h.stripe.balanceTransactions.list({ created: { gte: payoutBt.created }, type: "payout" });
    expect(created.data.map((t) => t.id)).toContain(payoutBt.id);
  });

  it("manual payouts need available balance; failed payouts return the money", async () => {
    const tooMuch = await expectStripeError(h.stripe.payouts.create({ amount: 10_000_000, currency: "usd" }));
    expect(tooMuch.code).toBe("balance_insufficient");
    await cardIntent(h.stripe, "pm_card_bypassPending", { amount: 3000 });
    const payout = await h.stripe.payouts.create({ amount: 1000, currency: "usd" });
    expect(payout).toMatchObject({ automatic: false, reconciliation_status: "not_applicable" });
    const failed = await h.control.failPayout(payout.id, "account_closed");
    expect(failed).toMatchObject({ status: "failed", failure_code: "account_closed" });
    const bt = await h.stripe.balanceTransactions.retrieve(failed.failure_balance_transaction as string);
    expect(bt).toMatchObject({ type: "payout_failure", amount: 1000 });
  });

  it("altered settlement data: missing, extra and off-by-a-few balance transactions", async () => {
    await h.control.reset();
    const pi = await cardIntent(h.stripe, "pm_card_bypassPending", { amount: 4000, expand: ["latest_charge"] });
    const second = await cardIntent(h.stripe, "pm_card_bypassPending", { amount: 6000, expand: ["latest_charge"] });
    const missingBt = (pi.latest_charge as Stripe.Charge).balance_transaction as string;
    await h.control.alterSettlement({ kind: "missing_balance_transaction", balanceTransactionId: missingBt });
    await h.control.alterSettlement({ kind: "amount_off", balanceTransactionId: (second.latest_charge as Stripe.Charge).balance_transaction as string, delta: 3 });
    await h.control.alterSettlement({ kind: "extra_balance_transaction", amount: 777 });
    const payout = (await h.control.runPayouts()) as Stripe.Payout;
    const listed = await h.stripe.balanceTransactions.list({ payout: payout.id, limit: 100 });
    expect(listed.data.map((t) => t.id)).not.toContain(missingBt);
    expect(listed.data.some((t) => t.amount === 777 && t.type === "adjustment")).toBe(true);
    const sum = listed.data.filter((t) => t.type !== "payout").reduce((s, t) => s + t.net, 0);
    expect(sum).not.toBe(payout.amount);
    await expectStripeError(h.stripe.balanceTransactions.retrieve(missingBt));
  });
});
