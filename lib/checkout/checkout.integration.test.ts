// Hosted checkout against a real database and the PSP sandbox over HTTP: the create call (atomic
// idempotency, customer by email, tenant isolation), an attempt made twice at once (one payment, one
// PaymentIntent), the browser's confirm with the publishable key, the re-sync, a decline then a retry,
// and an expired session.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as getRoute } from "@/app/api/v1/checkout/sessions/[id]/route";
import { POST as createRoute } from "@/app/api/v1/checkout/sessions/route";
import { db } from "@/lib/db/client";
import { call, expectLedgerConsistent, makeMerchant, newKey, startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { getStripe } from "@/lib/psp/psp-gateway";
import { createStripeClient } from "@/lib/psp/stripe-client";
import { SANDBOX_PUBLISHABLE_KEY } from "./checkout-config";
import { startCheckoutAttempt } from "./start-checkout-attempt";
import { syncCheckoutAttempt } from "./sync-checkout-attempt";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };
let browser: Stripe;

beforeAll(async () => {
  h = await startPaymentsHarness();
  merchant = await makeMerchant("Checkout shop");
  browser = createStripeClient({ secretKey: SANDBOX_PUBLISHABLE_KEY, sandboxUrl: h.sandbox.url });
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});

const createSession = (body: Record<string, unknown>, idempotencyKey = newKey()) =>
  call(createRoute, "/api/v1/checkout/sessions", { secret: merchant.secret, body: { currency: "USD", ...body }, idempotencyKey });

async function intentsFor(sessionId: string): Promise<Stripe.PaymentIntent[]> {
  const list = await getStripe().paymentIntents.list({ limit: 100 });
  return list.data.filter((pi) => pi.description === `Checkout ${sessionId}`);
}

describe("POST /api/v1/checkout/sessions", () => {
  test("creates a session with line items, replays the same key, keeps the email out of the session", async () => {
    const key = newKey();
    const body = { line_items: [{ name: "Beans", quantity: 2, unit_amount: 1200 }], customer_email: "ann@example.com", success_url: "https://shop.example/ok" };
    const first = await createSession(body, key);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ object: "checkout.session", status: "open", amount_total: 2400, currency: "USD" });
    expect(first.body.url).toMatch(new RegExp(`/checkout/${first.body.id}$`));
    expect(first.body.customer).toMatch(/^cus_/);
    const again = await createSession(body, key);
    expect(again.body.id).toBe(first.body.id);
    const row = await db().checkoutSession.findUniqueOrThrow({ where: { id: first.body.id } });
    expect(JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).not.toContain("ann@example.com");
    // Same email again: the same customer, found through the blind index.
    const second = await createSession({ amount: 100, customer_email: "ANN@example.com" });
    expect(second.body.customer).toBe(first.body.customer);
  });

  test("another merchant cannot read the session", async () => {
    const session = await createSession({ amount: 500 });
    const other = await makeMerchant("Other shop");
    const response = await call(getRoute, `/api/v1/checkout/sessions/${session.body.id}`, { secret: other.secret, params: { id: session.body.id } });
    expect(response.status).toBe(404);
    const own = await call(getRoute, `/api/v1/checkout/sessions/${session.body.id}`, { secret: merchant.secret, params: { id: session.body.id } });
    expect(own.body.id).toBe(session.body.id);
  });
});

describe("attempts", () => {
  test("the same attempt twice at once makes one payment and one PaymentIntent; confirm + sync completes it", async () => {
    const session = (await createSession({ amount: 1999 })).body;
    const [a, b] = await Promise.all([startCheckoutAttempt({ sessionId: session.id, attempt: 1, method: "card" }), startCheckoutAttempt({ sessionId: session.id, attempt: 1, method: "card" })]);
    expect(a.payment).toBe(b.payment);
    expect(a.next).toBe("confirm");
    expect(a.client_secret).toBe(b.client_secret);
    expect(await intentsFor(session.id)).toHaveLength(1);

    const piId = a.client_secret!.split("_secret_")[0]!;
    await browser.paymentIntents.confirm(piId, { client_secret: a.client_secret, payment_method: "pm_card_visa" } as Stripe.PaymentIntentConfirmParams);
    const synced = await syncCheckoutAttempt({ sessionId: session.id, attempt: 1 });
    expect(synced.next).toBe("succeeded");
    expect(synced.receipt_url).toMatch(/^\/receipts\//);
    const payment = await db().payment.findUniqueOrThrow({ where: { id: a.payment } });
    expect(payment.status).toBe("captured");
    expect(payment.paymentMethod).toMatch(/^pm_/);
    expect((await db().checkoutSession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("complete");
    // A late retry of the same attempt answers "succeeded" and creates nothing.
    expect((await startCheckoutAttempt({ sessionId: session.id, attempt: 1, method: "card" })).next).toBe("succeeded");
    expect((await startCheckoutAttempt({ sessionId: session.id, attempt: 2, method: "card" })).next).toBe("succeeded");
    expect(await intentsFor(session.id)).toHaveLength(1);
  });

  test("a decline fails the attempt; the next attempt is a new payment that can succeed", async () => {
    const session = (await createSession({ amount: 2500 })).body;
    const first = await startCheckoutAttempt({ sessionId: session.id, attempt: 1, method: "card" });
    const piId = first.client_secret!.split("_secret_")[0]!;
    await expect(browser.paymentIntents.confirm(piId, { client_secret: first.client_secret, payment_method: "pm_card_chargeDeclinedInsufficientFunds" } as Stripe.PaymentIntentConfirmParams)).rejects.toThrow();
    const declined = await syncCheckoutAttempt({ sessionId: session.id, attempt: 1 });
    expect(declined.next).toBe("declined");
    expect(declined.message).toMatch(/insufficient funds/);

    // Asking for attempt 1 again does not reopen it; attempt 3 is out of order.
    expect((await startCheckoutAttempt({ sessionId: session.id, attempt: 1, method: "card" })).next).toBe("declined");
    await expect(startCheckoutAttempt({ sessionId: session.id, attempt: 3, method: "card" })).rejects.toThrow(/attempt 1/);

    const second = await startCheckoutAttempt({ sessionId: session.id, attempt: 2, method: "card" });
    expect(second.payment).not.toBe(first.payment);
    await browser.paymentIntents.confirm(second.client_secret!.split("_secret_")[0]!, { client_secret: second.client_secret, payment_method: "pm_card_visa" } as Stripe.PaymentIntentConfirmParams);
    expect((await syncCheckoutAttempt({ sessionId: session.id, attempt: 2 })).next).toBe("succeeded");
    expect(await intentsFor(session.id)).toHaveLength(2);
  });

  test("a bank debit stays processing until the PSP settles it", async () => {
    const session = (await createSession({ amount: 5000 })).body;
    const attempt = await startCheckoutAttempt({ sessionId: session.id, attempt: 1, method: "bank_debit" });
    expect(attempt.payment_method_types).toContain("us_bank_account");
    await browser.paymentIntents.confirm(attempt.client_secret!.split("_secret_")[0]!, { client_secret: attempt.client_secret, payment_method: "pm_usBankAccount_success" } as Stripe.PaymentIntentConfirmParams);
    const synced = await syncCheckoutAttempt({ sessionId: session.id, attempt: 1 });
    expect(synced.next).toBe("processing");
    const payment = await db().payment.findUniqueOrThrow({ where: { id: attempt.payment } });
    expect(payment.status).toBe("pending");
    expect(payment.paymentMethodType).toBe("bank_debit");
    // A second attempt while the first is processing continues the first: no second charge.
    expect((await startCheckoutAttempt({ sessionId: session.id, attempt: 2, method: "card" })).payment).toBe(attempt.payment);
  });

  test("an expired session takes no attempt", async () => {
    const session = (await createSession({ amount: 700, expires_in_minutes: 1 })).body;
    await db().checkoutSession.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(startCheckoutAttempt({ sessionId: session.id, attempt: 1, method: "card" })).rejects.toThrow(/expired/);
    expect((await db().checkoutSession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("expired");
    expect(await intentsFor(session.id)).toHaveLength(0);
  });
});
