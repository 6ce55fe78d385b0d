// The checkout.cancel-expired job against a real database and the PSP sandbox over HTTP: an expired
// session's unconfirmed PaymentIntent is canceled at the PSP (with the payment's cancel key) and its
// payment canceled; a declined attempt's intent is canceled too; a paid attempt and a processing bank
// debit are left alone; a second run does nothing; an open session is not touched.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as createRoute } from "@/app/api/v1/checkout/sessions/route";
import { db } from "@/lib/db/client";
import { PI_EXPAND } from "@/lib/payments/apply-payment-intent";
import { call, expectLedgerConsistent, makeMerchant, newKey, startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { getStripe } from "@/lib/psp/psp-gateway";
import { createStripeClient } from "@/lib/psp/stripe-client";
import { cancelExpiredCheckoutSessions, EXPIRY_GRACE_MS } from "./cancel-expired-sessions";
import { SANDBOX_PUBLISHABLE_KEY } from "./checkout-config";
import { startCheckoutAttempt } from "./start-checkout-attempt";
import { syncCheckoutAttempt } from "./sync-checkout-attempt";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };
let browser: Stripe;

beforeAll(async () => {
  h = await startPaymentsHarness();
  merchant = await makeMerchant("Expiring shop");
  browser = createStripeClient({ secretKey: SANDBOX_PUBLISHABLE_KEY, sandboxUrl: h.sandbox.url });
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});

const createSession = async (amount: number) =>
  (await call(createRoute, "/api/v1/checkout/sessions", { secret: merchant.secret, body: { currency: "USD", amount }, idempotencyKey: newKey() })).body as { id: string };

const piOf = (clientSecret: string | null) => clientSecret!.split("_secret_")[0]!;

async function expire(sessionId: string) {
  await db().checkoutSession.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - EXPIRY_GRACE_MS - 1000) } });
}

describe("checkout.cancel-expired", () => {
  test("unconfirmed and declined attempts are canceled at the PSP, paid and processing ones are not; idempotent", async () => {
    // A: one attempt, never confirmed.
    const a = await createSession(1500);
    const aAttempt = await startCheckoutAttempt({ sessionId: a.id, attempt: 1, method: "card" });
    expect(aAttempt.next).toBe("confirm");
    // B: a declined attempt, then an unconfirmed second one.
    const b = await createSession(2500);
    const bFirst = await startCheckoutAttempt({ sessionId: b.id, attempt: 1, method: "card" });
    await expect(browser.paymentIntents.confirm(piOf(bFirst.client_secret), { client_secret: bFirst.client_secret, payment_method: "pm_card_chargeDeclined" } as Stripe.PaymentIntentConfirmParams)).rejects.toThrow();
    expect((await syncCheckoutAttempt({ sessionId: b.id, attempt: 1 })).next).toBe("declined");
    const bSecond = await startCheckoutAttempt({ sessionId: b.id, attempt: 2, method: "card" });
    // C: paid.
    const c = await createSession(3500);
    const cAttempt = await startCheckoutAttempt({ sessionId: c.id, attempt: 1, method: "card" });
    await browser.paymentIntents.confirm(piOf(cAttempt.client_secret), { client_secret: cAttempt.client_secret, payment_method: "pm_card_visa" } as Stripe.PaymentIntentConfirmParams);
    expect((await syncCheckoutAttempt({ sessionId: c.id, attempt: 1 })).next).toBe("succeeded");
    // D: a bank debit the customer confirmed, still processing.
    const d = await createSession(4500);
    const dAttempt = await startCheckoutAttempt({ sessionId: d.id, attempt: 1, method: "bank_debit" });
    await browser.paymentIntents.confirm(piOf(dAttempt.client_secret), { client_secret: dAttempt.client_secret, payment_method: "pm_usBankAccount_success" } as Stripe.PaymentIntentConfirmParams);
    expect((await syncCheckoutAttempt({ sessionId: d.id, attempt: 1 })).next).toBe("processing");
    // E: open, not expired: untouched.
    const e = await createSession(5500);
    const eAttempt = await startCheckoutAttempt({ sessionId: e.id, attempt: 1, method: "card" });

    for (const session of [a, b, c, d]) await expire(session.id);
    const first = await cancelExpiredCheckoutSessions();
    expect(first).toMatchObject({ sessions: 4, canceled: 3, retryLater: 0 });

    const stripe = getStripe();
    const status = async (clientSecret: string | null) => (await stripe.paymentIntents.retrieve(piOf(clientSecret))).status;
    expect(await status(aAttempt.client_secret)).toBe("canceled");
    expect(await status(bFirst.client_secret)).toBe("canceled");
    expect(await status(bSecond.client_secret)).toBe("canceled");
    expect(await status(cAttempt.client_secret)).toBe("succeeded");
    expect(await status(dAttempt.client_secret)).toBe("processing");
    expect(await status(eAttempt.client_secret)).toBe("requires_payment_method");

    const payment = (id: string) => db().payment.findUniqueOrThrow({ where: { id } });
    expect((await payment(aAttempt.payment)).status).toBe("canceled");
    expect((await payment(bFirst.payment)).status).toBe("failed");
    expect((await payment(bSecond.payment)).status).toBe("canceled");
    expect((await payment(cAttempt.payment)).status).toBe("captured");
    expect((await payment(dAttempt.payment)).status).toBe("pending");
    expect((await payment(eAttempt.payment)).status).toBe("pending");
    const session = (id: string) => db().checkoutSession.findUniqueOrThrow({ where: { id } });
    expect((await session(a.id)).status).toBe("expired");
    expect((await session(c.id)).status).toBe("complete");
    for (const id of [a.id, b.id, c.id, d.id]) expect((await session(id)).expiryHandledAt).not.toBeNull();
    expect((await session(e.id)).expiryHandledAt).toBeNull();

    // The customer still holding A's client_secret can no longer pay the expired checkout.
    await expect(browser.paymentIntents.confirm(piOf(aAttempt.client_secret), { client_secret: aAttempt.client_secret, payment_method: "pm_card_visa" } as Stripe.PaymentIntentConfirmParams)).rejects.toThrow();

    // A second run finds nothing; replaying the PSP cancel with the payment's key answers the same intent.
    expect(await cancelExpiredCheckoutSessions()).toEqual({ sessions: 0, canceled: 0, left: 0, retryLater: 0 });
    const replay = await stripe.paymentIntents.cancel(piOf(bFirst.client_secret), { cancellation_reason: "abandoned", expand: PI_EXPAND }, { idempotencyKey: `v1:payment:${bFirst.payment}:cancel` });
    expect(replay.status).toBe("canceled");
    expect(replay.canceled_at).toBe((await stripe.paymentIntents.retrieve(piOf(bFirst.client_secret))).canceled_at);
  });

  test("a session expired within the grace period waits for the next run", async () => {
    const session = await createSession(900);
    const attempt = await startCheckoutAttempt({ sessionId: session.id, attempt: 1, method: "card" });
    await db().checkoutSession.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await cancelExpiredCheckoutSessions();
    expect((await getStripe().paymentIntents.retrieve(piOf(attempt.client_secret))).status).toBe("requires_payment_method");
    expect((await cancelExpiredCheckoutSessions({ now: new Date(Date.now() + EXPIRY_GRACE_MS) })).canceled).toBe(1);
    expect((await getStripe().paymentIntents.retrieve(piOf(attempt.client_secret))).status).toBe("canceled");
  });
});
