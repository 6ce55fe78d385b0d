// Drives the sandbox only through the real stripe SDK over HTTP (plus the control client).
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardIntent, expectStripeError, startHarness, startWebhookReceiver, WEBHOOK_SECRET, type Harness, type WebhookReceiver } from "./test-support.ts";

let h: Harness;
let receiver: WebhookReceiver;
let endpointReceiver: WebhookReceiver;
let endpointSecret: string;

beforeAll(async () => {
  h = await startHarness({ webhookTargets: [] });
  receiver = await startWebhookReceiver(h.stripe);
  await h.sandbox.close();
  // Restart with the configured (Settle intake) target now that the receiver's URL is known.
  h = await startHarness({ webhookTargets: [{ url: receiver.url, secret: WEBHOOK_SECRET }] });
  const endpoint = await h.stripe.webhookEndpoints.create({ url: "http://127.0.0.1:1/placeholder", enabled_events: ["*"] });
  endpointSecret = endpoint.secret as string;
  endpointReceiver = await startWebhookReceiver(h.stripe, endpointSecret);
  await h.stripe.webhookEndpoints.update(endpoint.id, { url: endpointReceiver.url });
});

afterAll(async () => {
  await h.close();
  await receiver.close();
  await endpointReceiver.close();
});

describe("card payments through the SDK", () => {
  it("create+confirm with pm_card_visa, refund half, and both webhooks verify with constructEvent", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_visa", { metadata: { settle_payment_id: "pay_123" }, expand: ["latest_charge"] });
    expect(pi.status).toBe("succeeded");
    expect(pi.lastResponse.statusCode).toBe(200);
    expect(pi.lastResponse.requestId).toMatch(/^req_[A-Za-z0-9]{14}$/);
    expect(pi.lastResponse.apiVersion).toBe("2026-10-28.endive");
    const charge = pi.latest_charge as Stripe.Charge;
    expect(charge.id.slice(3)).toBe(pi.id.slice(3));
    expect(charge).toMatchObject({ status: "succeeded", captured: true, amount_captured: 2000, paid: true });

    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 1000 }, { idempotencyKey: `v1:refund:${pi.id}` });
    expect(refund).toMatchObject({ status: "succeeded", amount: 1000, charge: charge.id });
    const after = await h.stripe.charges.retrieve(charge.id);
    expect(after).toMatchObject({ amount_refunded: 1000, refunded: false });

    await h.control.flushWebhooks();
    for (const target of [receiver, endpointReceiver]) {
      const mine = target.received.filter((w) => JSON.stringify(w.event.data.object).includes(pi.id));
      const types = mine.map((w) => w.event.type);
      expect(types).toEqual(expect.arrayContaining(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded", "refund.created", "charge.refunded"]));
      const succeeded = mine.find((w) => w.event.type === "payment_intent.succeeded")!;
      expect((succeeded.event.data.object as Stripe.PaymentIntent).metadata.settle_payment_id).toBe("pay_123");
      expect(succeeded.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    }
    const refundEvent = receiver.received.find((w) => w.event.type === "refund.created" && (w.event.data.object as Stripe.Refund).id === refund.id)!;
    expect(refundEvent.event.request?.idempotency_key).toBe(`v1:refund:${pi.id}`);
    const retrieved = await h.stripe.events.retrieve(refundEvent.event.id);
    expect(retrieved.pending_webhooks).toBe(0);
  });

  const declines: [string, string, string | undefined][] = [
    ["pm_card_chargeDeclined", "card_declined", "generic_decline"],
    ["pm_card_visa_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"],
    ["pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"],
    ["pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc"],
    ["pm_card_chargeDeclinedProcessingError", "processing_error", "processing_error"],
    ["pm_card_radarBlock", "card_declined", "fraudulent"],
    ["pm_card_visa_chargeDeclinedLostCard", "card_declined", "lost_card"],
  ];
  it.each(declines)("%s declines with %s / %s as a StripeCardError (402)", async (token, code, declineCode) => {
    const error = await expectStripeError(cardIntent(h.stripe, token));
    expect(error.type).toBe("StripeCardError");
    expect(error.statusCode).toBe(402);
    expect(error.code).toBe(code);
    expect(error.decline_code).toBe(declineCode);
    const pi = error.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe("requires_payment_method");
    expect(pi.last_payment_error?.code).toBe(code);
    const charge = await h.stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ status: "failed", failure_code: code, paid: false });
    if (declineCode === "fraudulent") expect(charge.outcome).toMatchObject({ type: "blocked", risk_level: "highest", network_status: "not_sent_to_network" });
  });

  it("raw test card numbers work via the publishable key (Stripe.js path) and are refused with a secret key", async () => {
    const refused = await expectStripeError(
      h.stripe.paymentMethods.create({ type: "card", card: { number: "4242424242424242", exp_month: 12, exp_year: 2040, cvc: "123" } } as Stripe.PaymentMethodCreateParams),
    );
    expect(refused.message).toMatch(/unsafe/);
    const cases: [string, string | null][] = [
      ["4242424242424242", null],
      ["4000000000000002", "card_declined"],
      ["4000000000009995", "card_declined"],
      ["4000000000000069", "expired_card"],
      ["4000000000000127", "incorrect_cvc"],
      ["4000000000000119", "processing_error"],
      ["4100000000000019", "card_declined"],
    ];
    for (const [number, expected] of cases) {
      const pm = await h.publishable.paymentMethods.create({ type: "card", card: { number, exp_month: 12, exp_year: 2040, cvc: "123" } } as Stripe.PaymentMethodCreateParams);
      expect(pm.card?.last4).toBe(number.slice(-4));
      const attempt = cardIntent(h.stripe, pm.id);
      if (expected === null) expect((await attempt).status).toBe("succeeded");
      else expect((await expectStripeError(attempt)).code).toBe(expected);
    }
    const luhn = await expectStripeError(
      h.publishable.paymentMethods.create({ type: "card", card: { number: "4242424242424241", exp_month: 12, exp_year: 2040, cvc: "123" } } as Stripe.PaymentMethodCreateParams),
    );
    expect(luhn.code).toBe("incorrect_number");
  });

  it("3DS: requires_action with a redirect, completes through the control plane", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_authenticationRequired", { return_url: "https://shop.example/return" });
    expect(pi.status).toBe("requires_action");
    expect(pi.next_action?.type).toBe("redirect_to_url");
    const page = await fetch(pi.next_action!.redirect_to_url!.url!);
    expect(await page.text()).toContain("3ds-complete");
    await h.control.complete3ds(pi.id);
    const done = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] });
    expect(done.status).toBe("succeeded");
    expect((done.latest_charge as Stripe.Charge).payment_method_details?.card?.three_d_secure?.result).toBe("authenticated");
  });

  it("3DS failure returns the intent to requires_payment_method; off-session fails with authentication_required", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_threeDSecure2Required");
    await h.control.fail3ds(pi.id);
    const failed = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(failed.status).toBe("requires_payment_method");
    expect(failed.last_payment_error?.code).toBe("payment_intent_authentication_failure");
    const offSession = await expectStripeError(cardIntent(h.stripe, "pm_card_authenticationRequired", { off_session: true }));
    expect(offSession.code).toBe("authentication_required");
  });

  it("3DS then decline after authentication", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_threeDSecureRequiredChargeDeclined");
    await h.control.complete3ds(pi.id);
    const after = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(after.status).toBe("requires_payment_method");
    expect(after.last_payment_error?.decline_code).toBe("generic_decline");
  });

  it("publishable-key confirm with client_secret (the Stripe.js shim path)", async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1500, currency: "usd", allowed_payment_method_types: ["card"], metadata: { secret: "x" } });
    const other = await expectStripeError(h.publishable.paymentIntents.confirm(pi.id, { client_secret: "wrong", payment_method: "pm_card_visa" } as Stripe.PaymentIntentConfirmParams));
    expect(other.statusCode).toBe(400);
    const confirmed = await h.publishable.paymentIntents.confirm(pi.id, { client_secret: pi.client_secret, payment_method: "pm_card_visa" } as Stripe.PaymentIntentConfirmParams);
    expect(confirmed.status).toBe("succeeded");
    expect(confirmed.metadata).toBeUndefined();
    const forbidden = await expectStripeError(h.publishable.paymentIntents.list());
    expect(forbidden.statusCode).toBe(401);
    const shim = await (await fetch(`${h.sandbox.url}/js/stripe.js`)).text();
    expect(() => new Function(shim)).not.toThrow();
    expect(shim).toContain('Stripe.version = "endive"');
  });

  it("manual capture: partial capture settles only the captured amount", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_visa", { capture_method: "manual", amount: 5000 });
    expect(pi).toMatchObject({ status: "requires_capture", amount_capturable: 5000 });
    const captured = await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000, expand: ["latest_charge.balance_transaction"] });
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 3000, amount_capturable: 0 });
    const charge = captured.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ captured: true, amount_captured: 3000, amount: 5000 });
    expect((charge.balance_transaction as Stripe.BalanceTransaction).amount).toBe(3000);
    const tooMuch = await expectStripeError(h.stripe.refunds.create({ payment_intent: pi.id, amount: 3001 }));
    expect(tooMuch.param).toBe("amount");
  });

  it("uncaptured authorisations expire when the sandbox clock passes 7 days", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_visa", { capture_method: "manual" });
    await h.control.advanceClock(7 * 86400 + 60);
    const expired = await h.stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] });
    expect(expired).toMatchObject({ status: "canceled", cancellation_reason: "automatic" });
    expect((expired.latest_charge as Stripe.Charge).refunded).toBe(true);
    const events = await h.stripe.events.list({ type: "charge.expired" });
    expect(events.data.some((e) => (e.data.object as Stripe.Charge).payment_intent === pi.id)).toBe(true);
  });

  it("bank debits stay processing until the clock advances, then succeed (or fail)", async () => {
    const ok = await h.stripe.paymentIntents.create({ amount: 4200, currency: "usd", confirm: true, payment_method: "pm_usBankAccount_success", allowed_payment_method_types: ["us_bank_account"] });
    const bad = await h.stripe.paymentIntents.create({ amount: 4200, currency: "eur", confirm: true, payment_method: "pm_sepaDebit_failed_at", allowed_payment_method_types: ["sepa_debit"] });
    expect(ok.status).toBe("processing");
    expect(bad.status).toBe("processing");
    await h.control.flushScheduler();
    expect((await h.stripe.paymentIntents.retrieve(ok.id)).status).toBe("processing");
    await h.control.advanceClock(181);
    const settled = await h.stripe.paymentIntents.retrieve(ok.id, { expand: ["latest_charge"] });
    expect(settled.status).toBe("succeeded");
    expect((settled.latest_charge as Stripe.Charge).balance_transaction).toBeTruthy();
    const failed = await h.stripe.paymentIntents.retrieve(bad.id);
    expect(failed.status).toBe("requires_payment_method");
    expect(failed.last_payment_error?.code).toBe("insufficient_funds");
  });

  it("wallet tokens produce card.wallet", async () => {
    const pi = await cardIntent(h.stripe, "pm_card_visa_applePay", { expand: ["payment_method", "latest_charge"] });
    expect((pi.payment_method as Stripe.PaymentMethod).card?.wallet?.type).toBe("apple_pay");
    expect((pi.latest_charge as Stripe.Charge).payment_method_details?.card?.wallet?.type).toBe("apple_pay");
  });

  it("async capture (the default) fills balance_transaction later and announces charge.updated", async () => {
    const pi = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: "usd",
      confirm: true,
      payment_method: "pm_card_visa",
      automatic_payment_methods: { enabled: true, allow_redirects: "never" },
      expand: ["latest_charge"],
    });
    expect(pi.capture_method).toBe("automatic_async");
    expect((pi.latest_charge as Stripe.Charge).balance_transaction).toBeNull();
    await h.control.flushScheduler();
    const charge = await h.stripe.charges.retrieve((pi.latest_charge as Stripe.Charge).id);
    expect(charge.balance_transaction).toMatch(/^txn_/);
    const updates = await h.stripe.events.list({ type: "charge.updated", limit: 5 });
    expect(updates.data.some((e) => (e.data.object as Stripe.Charge).id === charge.id && e.data.previous_attributes && "balance_transaction" in e.data.previous_attributes)).toBe(true);
  });

  it("search finds intents by Settle's metadata; lists paginate both ways", async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await cardIntent(h.stripe, "pm_card_visa", { metadata: { settle_payment_id: `page_${i}`, batch: "pagination" } })).id);
    const found = await h.stripe.paymentIntents.search({ query: "metadata['settle_payment_id']:'page_3'" });
    expect(found.data.map((p) => p.id)).toEqual([made[3]]);
    const all = await h.stripe.paymentIntents.search({ query: "metadata['batch']:'pagination'", limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(all.map((p) => p.id).sort()).toEqual([...made].sort());
    const page = await h.stripe.paymentIntents.list({ limit: 2 });
    expect(page.has_more).toBe(true);
    const next = await h.stripe.paymentIntents.list({ limit: 2, starting_after: page.data[1].id });
    expect(next.data[0].created).toBeLessThanOrEqual(page.data[1].created);
    const back = await h.stripe.paymentIntents.list({ limit: 2, ending_before: next.data[0].id });
    expect(back.data.map((p) => p.id)).toEqual(page.data.map((p) => p.id));
    const everything = await h.stripe.paymentIntents.list({ limit: 3 }).autoPagingToArray({ limit: 1000 });
    expect(new Set(everything.map((p) => p.id)).size).toBe(everything.length);
    expect(everything.length).toBeGreaterThanOrEqual(5);
  });

  it("errors: unknown id 404, unknown parameter, unknown URL, bad key", async () => {
    const missing = await expectStripeError(h.stripe.paymentIntents.retrieve("pi_doesnotexist"));
    expect(missing).toMatchObject({ type: "StripeInvalidRequestError", statusCode: 404, code: "resource_missing", param: "intent" });
    const unknown = await expectStripeError(h.stripe.paymentIntents.create({ amount: 100, currency: "usd", bogus: 1 } as unknown as Stripe.PaymentIntentCreateParams));
    expect(unknown).toMatchObject({ code: "parameter_unknown", param: "bogus" });
    const small = await expectStripeError(h.stripe.paymentIntents.create({ amount: 10, currency: "usd" }));
    expect(small.code).toBe("amount_too_small");
    const url = await fetch(`${h.sandbox.url}/v1/nope`, { headers: { Authorization: "Bearer sk_test_x" } });
    expect(url.status).toBe(404);
    expect((await url.json()).error.message).toMatch(/Unrecognized request URL/);
    const live = await fetch(`${h.sandbox.url}/v1/balance`, { headers: { Authorization: "Bearer sk_live_x" } });
    expect(live.status).toBe(401);
  });
});
