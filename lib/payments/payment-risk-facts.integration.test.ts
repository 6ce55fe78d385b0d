// The shopper's facts reach the fraud engine on the real paths: POST /api/v1/payments (customer_ip, the
// customer's email, the card's fingerprint read from the PSP) and the hosted checkout's attempts route (the
// browser's IP, the session customer's email). Real database, real PSP sandbox over HTTP. Each test fails
// when its fact is not passed through: the blocked attempt would then reach the PSP (one more
// PaymentIntent in the sandbox) or succeed.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type Stripe from "stripe";
import { POST as attemptsRoute } from "@/app/api/checkout/sessions/[id]/attempts/route";
import { POST as syncRoute } from "@/app/api/checkout/sessions/[id]/sync/route";
import { SANDBOX_PUBLISHABLE_KEY } from "@/lib/checkout/checkout-config";
import { createStripeClient } from "@/lib/psp/stripe-client";
import { POST as createSessionRoute } from "@/app/api/v1/checkout/sessions/route";
import { POST as createCustomerRoute } from "@/app/api/v1/customers/route";
import { POST as createRoute } from "@/app/api/v1/payments/route";
import { eraseCustomer } from "@/lib/customers/erase-customer";
import { db } from "@/lib/db/client";
import { addRiskListEntry } from "@/lib/fraud";
import { apiRequest, routeParams } from "@/tests/fixtures";
import { call, expectLedgerConsistent, makeMerchant, startPaymentsHarness, type PaymentsHarness } from "./testing";

const system = { type: "system", id: "test" } as const;
type Merchant = { merchantId: string; secret: string };

let h: PaymentsHarness;

beforeAll(async () => {
  h = await startPaymentsHarness();
});
afterAll(async () => {
  await expectLedgerConsistent();
  await h?.close();
});

const pay = (merchant: Merchant, body: Record<string, unknown>) =>
  call(createRoute, "/api/v1/payments", { secret: merchant.secret, body: { amount: 2000, currency: "USD", ...body } });

/** PaymentIntents the sandbox holds: a payment blocked by the risk step adds none. */
async function paymentIntentCount(): Promise<number> {
  const state = (await h.control.state()) as { counts: Record<string, number> };
  return state.counts.payment_intent ?? 0;
}

function paymentIdOf(response: { body: any }): string {
  return response.body.error.message.match(/pay_[0-9a-z]+/)![0];
}

/** Attempts are recorded after the answer (fire and forget): wait until the history holds them. */
async function attemptsRecorded(merchantId: string, count: number): Promise<void> {
  await vi.waitFor(async () => expect(await db().riskPaymentAttempt.count({ where: { merchantId } })).toBe(count), { timeout: 10_000, interval: 50 });
}

async function riskOf(paymentId: string) {
  const row = await db().payment.findUniqueOrThrow({ where: { id: paymentId } });
  return { outcome: row.riskOutcome, failureCode: row.failureCode, reasons: (row.riskReasons ?? []) as { rule: string; detail: string }[], pi: row.pspPaymentIntentId };
}

async function customerWithEmail(merchant: Merchant, email: string): Promise<string> {
  const created = await call(createCustomerRoute, "/api/v1/customers", { secret: merchant.secret, body: { email } });
  expect(created.status).toBe(200);
  return created.body.id;
}

describe("POST /api/v1/payments passes the shopper's facts to the risk step", () => {
  test("card velocity: after four declines of one card the fifth is blocked (card_declined) without a PSP call", async () => {
    const merchant = await makeMerchant("Card velocity");
    // No customer, no email, no IP: only the card's fingerprint (read from the PSP) links the attempts.
    for (const pm of ["pm_card_chargeDeclined", "pm_card_visa_chargeDeclined", "pm_card_chargeDeclined", "pm_card_visa_chargeDeclined"]) {
      const declined = await pay(merchant, { payment_method: pm });
      expect(declined.status).toBe(402);
      expect((await riskOf(paymentIdOf(declined))).pi).toMatch(/^pi_/); // declined by the PSP itself
    }
    await attemptsRecorded(merchant.merchantId, 4);
    const recorded = await db().riskPaymentAttempt.findMany({ where: { merchantId: merchant.merchantId } });
    const fingerprints = [...new Set(recorded.map((row) => row.cardFingerprint))];
    expect(fingerprints).toHaveLength(1);
    expect(fingerprints[0]).toMatch(/^[A-Za-z0-9]{16}$/);

    const intentsBefore = await paymentIntentCount();
    const blocked = await pay(merchant, { payment_method: "pm_card_chargeDeclined" });
    expect(blocked.status).toBe(402);
    expect(blocked.body.error.code).toBe("card_declined");
    expect(await paymentIntentCount()).toBe(intentsBefore);
    const risk = await riskOf(paymentIdOf(blocked));
    expect(risk).toMatchObject({ outcome: "block", failureCode: "card_declined", pi: null });
    expect(risk.reasons.find((reason) => reason.rule === "velocity")?.detail).toMatch(/this card/);

    // Another card of the same merchant is not affected.
    expect((await pay(merchant, { payment_method: "pm_card_visa" })).status).toBe(200);
  });

  test("IP velocity: four declines with different cards from one customer_ip, the fifth is rate_limited without a PSP call", async () => {
    const merchant = await makeMerchant("IP velocity");
    const ip = "198.51.100.23";
    for (const pm of ["pm_card_chargeDeclined", "pm_card_chargeDeclinedInsufficientFunds", "pm_card_chargeDeclinedLostCard", "pm_card_chargeDeclinedStolenCard"]) {
      const declined = await pay(merchant, { payment_method: pm, customer_ip: ip });
      expect(declined.status).toBe(402);
      expect((await riskOf(paymentIdOf(declined))).pi).toMatch(/^pi_/);
    }
    await attemptsRecorded(merchant.merchantId, 4);
    // Recorded with the IP as a keyed pseudonym only, one per attempt, and four different cards.
    const rows = await db().$queryRaw<Record<string, unknown>[]>`select * from risk_payment_attempts where merchant_id = ${merchant.merchantId}`;
    expect(JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? value.toString() : value))).not.toContain(ip);
    expect(new Set(rows.map((row) => Buffer.from(row.ip_address_hmac as Uint8Array).toString("hex"))).size).toBe(1);
    expect(new Set(rows.map((row) => row.card_fingerprint)).size).toBe(4);
    // The declines happened 1,000 s ago: the block (default 3,600 s from the fourth) has ~2,600 s left.
    await db().$executeRaw`update risk_payment_attempts set occurred_at = occurred_at - interval '1000 seconds' where merchant_id = ${merchant.merchantId}`;

    const intentsBefore = await paymentIntentCount();
    const key = `ip-velocity-${Math.random().toString(36).slice(2)}`;
    const blocked = await call(createRoute, "/api/v1/payments", {
      secret: merchant.secret, idempotencyKey: key, body: { amount: 2000, currency: "USD", payment_method: "pm_card_chargeDeclinedExpiredCard", customer_ip: ip },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe("rate_limited");
    // Retry-After is the time left until the velocity block lifts, not the configured length.
    const retryAfter = Number(blocked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(2_500);
    expect(retryAfter).toBeLessThanOrEqual(2_600);
    // A replay of the stored answer is final for that key: no wait to announce.
    const replay = await call(createRoute, "/api/v1/payments", {
      secret: merchant.secret, idempotencyKey: key, body: { amount: 2000, currency: "USD", payment_method: "pm_card_chargeDeclinedExpiredCard", customer_ip: ip },
    });
    expect(replay).toMatchObject({ status: 429, body: blocked.body });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.headers.get("retry-after")).toBeNull();
    expect(await paymentIntentCount()).toBe(intentsBefore);
    const risk = await riskOf(paymentIdOf(blocked));
    expect(risk).toMatchObject({ outcome: "block", failureCode: "rate_limited", pi: null });
    expect(risk.reasons.find((reason) => reason.rule === "velocity")?.detail).toMatch(/this IP address/);

    // Another shopper's IP (IPv6 accepted) goes through to the PSP.
    const other = await pay(merchant, { payment_method: "pm_card_visa", customer_ip: "2001:db8::7" });
    expect(other.status).toBe(200);
    expect(await paymentIntentCount()).toBe(intentsBefore + 1);
  });

  test("customer_ip must be an IP address", async () => {
    const merchant = await makeMerchant("IP validation");
    const response = await pay(merchant, { payment_method: "pm_card_visa", customer_ip: "shop.example" });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "parameter_invalid", param: "customer_ip" });
  });

  test("an email on the merchant's block list blocks that customer's payment; other and erased customers pass", async () => {
    const merchant = await makeMerchant("Email block list");
    await addRiskListEntry({ merchantId: merchant.merchantId, list: "block", kind: "email", value: "mallory@blocked.example", actor: system });
    const mallory = await customerWithEmail(merchant, "Mallory@Blocked.example");
    const alice = await customerWithEmail(merchant, "alice@shop.example");

    const intentsBefore = await paymentIntentCount();
    const blocked = await pay(merchant, { payment_method: "pm_card_visa", customer: mallory });
    expect(blocked.status).toBe(402);
    expect(blocked.body.error.code).toBe("card_declined");
    expect(await paymentIntentCount()).toBe(intentsBefore);
    const risk = await riskOf(paymentIdOf(blocked));
    expect(risk).toMatchObject({ outcome: "block", pi: null });
    expect(risk.reasons.map((reason) => reason.rule)).toContain("block_list");

    expect((await pay(merchant, { payment_method: "pm_card_visa", customer: alice })).body.status).toBe("captured");
    // Erased (crypto-shredded): no email left to match.
    await eraseCustomer(merchant.merchantId, mallory, system);
    expect((await pay(merchant, { payment_method: "pm_card_visa", customer: mallory })).body.status).toBe("captured");
  });
});

describe("hosted checkout passes the shopper's IP and email to the risk step", () => {
  async function session(merchant: Merchant, body: Record<string, unknown> = {}): Promise<string> {
    const created = await call(createSessionRoute, "/api/v1/checkout/sessions", { secret: merchant.secret, body: { currency: "USD", amount: 1500, ...body } });
    expect(created.status).toBe(200);
    return created.body.id;
  }

  async function attempt(sessionId: string, headers: Record<string, string> = {}) {
    const response = await attemptsRoute(
      apiRequest(`/api/checkout/sessions/${sessionId}/attempts`, { body: { attempt: 1, method: "card" }, headers }),
      routeParams({ id: sessionId }),
    );
    return { status: response.status, body: (await response.json()) as any };
  }

  test("the browser's IP (first X-Forwarded-For entry) on the block list: declined before the PSP", async () => {
    const merchant = await makeMerchant("Checkout IP");
    await addRiskListEntry({ merchantId: merchant.merchantId, list: "block", kind: "ip", value: "192.0.2.77", actor: system });
    const intentsBefore = await paymentIntentCount();
    const blocked = await attempt(await session(merchant), { "x-forwarded-for": "192.0.2.77, 10.0.0.1" });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ next: "declined", client_secret: null });
    expect(await paymentIntentCount()).toBe(intentsBefore);
    expect((await riskOf(blocked.body.payment)).reasons.map((reason) => reason.rule)).toContain("block_list");

    const allowed = await attempt(await session(merchant), { "x-forwarded-for": "192.0.2.78" });
    expect(allowed.body.next).toBe("confirm");
  });

  test("checkout declines join the fraud history once each, with the card and the browser's IP, so IP velocity blocks the next attempt", async () => {
    const merchant = await makeMerchant("Checkout velocity");
    const browser = createStripeClient({ secretKey: SANDBOX_PUBLISHABLE_KEY, sandboxUrl: h.sandbox.url });
    const shopper = { "x-forwarded-for": "198.51.100.23" };
    const sync = async (sessionId: string) => {
      const response = await syncRoute(
        apiRequest(`/api/checkout/sessions/${sessionId}/sync`, { body: { attempt: 1 }, headers: shopper }),
        routeParams({ id: sessionId }),
      );
      return (await response.json()) as any;
    };
    for (let i = 0; i < 4; i++) {
      const sessionId = await session(merchant);
      const started = await attempt(sessionId, shopper);
      expect(started.body.next).toBe("confirm");
      const piId = started.body.client_secret.split("_secret_")[0];
      await expect(
        browser.paymentIntents.confirm(piId, { client_secret: started.body.client_secret, payment_method: "pm_card_chargeDeclined" } as Stripe.PaymentIntentConfirmParams),
      ).rejects.toThrow();
      expect((await sync(sessionId)).next).toBe("declined");
      // The page may ask again: still one attempt for this payment.
      expect((await sync(sessionId)).next).toBe("declined");
    }
    const history = await db().riskPaymentAttempt.findMany({ where: { merchantId: merchant.merchantId } });
    expect(history).toHaveLength(4);
    expect(history.map((row) => ({ succeeded: row.succeeded, ip: row.ipAddressHmac !== null, card: row.cardFingerprint !== null }))).toEqual(Array(4).fill({ succeeded: false, ip: true, card: true }));
    expect(new Set(history.map((row) => Buffer.from(row.ipAddressHmac!).toString("hex"))).size).toBe(1);

    const intentsBefore = await paymentIntentCount();
    const fifth = await attempt(await session(merchant), shopper);
    expect(fifth.body).toMatchObject({ next: "declined", client_secret: null });
    expect(await paymentIntentCount()).toBe(intentsBefore);
    expect((await riskOf(fifth.body.payment)).failureCode).toBe("rate_limited");
    // Another shopper is not held back.
    expect((await attempt(await session(merchant), { "x-forwarded-for": "198.51.100.24" })).body.next).toBe("confirm");
  });

  test("the session customer's email on the block list: declined before the PSP", async () => {
    const merchant = await makeMerchant("Checkout email");
    await addRiskListEntry({ merchantId: merchant.merchantId, list: "block", kind: "email", value: "@fraud.example", actor: system });
    const intentsBefore = await paymentIntentCount();
    const blocked = await attempt(await session(merchant, { customer_email: "eve@fraud.example" }));
    expect(blocked.body).toMatchObject({ next: "declined" });
    expect(await paymentIntentCount()).toBe(intentsBefore);
    expect((await attempt(await session(merchant, { customer_email: "bob@shop.example" }))).body.next).toBe("confirm");
  });
});
