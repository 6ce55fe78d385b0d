// Pure state-machine and ledger tests: the engine driven directly, no HTTP.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SandboxClock } from "./clock.ts";
import { convertMinor, exchangeRate, minimumAmount, minorUnitExponent } from "./currencies.ts";
import { DEFAULT_CONFIG, Engine, SYSTEM } from "./engine.ts";
import { ApiError } from "./errors.ts";
import type { Params } from "./params.ts";
import { matchesSearch, parseSearchQuery } from "./search.ts";
import { Store, type Meta } from "./store.ts";
import { luhnValid, resolveCardToken } from "./test-cards.ts";

const meta = (): Meta => ({ seq: 0, clockMode: "frozen", clockOffsetMs: 0, clockFrozenMs: 1_800_000_000_000, nextPayoutRunAt: null, bankAccountId: "ba_test" });

function newEngine() {
  const store = new Store(undefined, meta);
  const clock = new SandboxClock(() => store.meta, () => {});
  const engine = new Engine(store, clock, { ...DEFAULT_CONFIG, baseUrl: "http://127.0.0.1:1", payoutSchedule: "manual" });
  const events: string[] = [];
  engine.onEvent((event) => events.push(event.type));
  return { store, clock, engine, events };
}

const card = (pm: string, extra: Params = {}): Params => ({
  amount: "1000",
  currency: "usd",
  confirm: "true",
  payment_method: pm,
  allowed_payment_method_types: ["card"],
  capture_method: "automatic",
  ...extra,
});

describe("payment intent state machine", () => {
  it("create without payment method → requires_payment_method; with one → requires_confirmation", () => {
    const { engine } = newEngine();
    expect(engine.createPaymentIntent({ amount: "1000", currency: "usd" }, SYSTEM).object.status).toBe("requires_payment_method");
    expect(engine.createPaymentIntent({ amount: "1000", currency: "usd", payment_method: "pm_card_visa" }, SYSTEM).object.status).toBe("requires_confirmation");
  });

  it("mints a new PaymentMethod for a pm_card_* token", () => {
    const { engine } = newEngine();
    const pi = engine.createPaymentIntent(card("pm_card_visa"), SYSTEM).object;
    expect(pi.payment_method).toMatch(/^pm_[A-Za-z0-9]{24}$/);
    expect(pi.payment_method).not.toBe("pm_card_visa");
  });

  it("automatic capture: succeeded, charge captured, events in causal order", () => {
    const { engine, events } = newEngine();
    const pi = engine.createPaymentIntent(card("pm_card_visa"), SYSTEM).object;
    expect(pi.status).toBe("succeeded");
    expect(pi.amount_received).toBe(1000);
    expect(events).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]);
  });

  it("decline keeps the PI, returns a 402 card error and emits failure events", () => {
    const { engine, events } = newEngine();
    const result = engine.createPaymentIntent(card("pm_card_chargeDeclined"), SYSTEM);
    expect(result.error?.status).toBe(402);
    expect(result.error?.body).toMatchObject({ type: "card_error", code: "card_declined", decline_code: "generic_decline" });
    expect(result.object.status).toBe("requires_payment_method");
    expect(result.object.payment_method).toBeNull();
    expect(events.slice(-2)).toEqual(["charge.failed", "payment_intent.payment_failed"]);
  });

  it("manual capture then partial capture; a second capture is an unexpected state", () => {
    const { engine } = newEngine();
    const pi = engine.createPaymentIntent(card("pm_card_visa", { capture_method: "manual" }), SYSTEM).object;
    expect(pi.status).toBe("requires_capture");
    expect(pi.amount_capturable).toBe(1000);
    const captured = engine.capturePaymentIntent(pi.id, { amount_to_capture: "600" }, SYSTEM);
    expect(captured).toMatchObject({ status: "succeeded", amount_received: 600, amount_capturable: 0 });
    expect(() => engine.capturePaymentIntent(pi.id, {}, SYSTEM)).toThrow(ApiError);
  });

  it("3DS: requires_action, then complete → succeeded or fail → requires_payment_method", () => {
    const { engine } = newEngine();
    const a = engine.createPaymentIntent(card("pm_card_authenticationRequired"), SYSTEM).object;
    expect(a.status).toBe("requires_action");
    expect(a.next_action.type).toBe("use_stripe_sdk");
    expect(engine.completeAuthentication(a.id, "complete", SYSTEM).status).toBe("succeeded");
    const b = engine.createPaymentIntent(card("pm_card_authenticationRequired"), SYSTEM).object;
    const failed = engine.completeAuthentication(b.id, "fail", SYSTEM);
    expect(failed.status).toBe("requires_payment_method");
    expect(failed.last_payment_error.code).toBe("payment_intent_authentication_failure");
  });

  it("3DS card off-session fails with authentication_required", () => {
    const { engine } = newEngine();
    const result = engine.createPaymentIntent(card("pm_card_authenticationRequired", { off_session: "true" }), SYSTEM);
    expect(result.error?.body.code).toBe("authentication_required");
  });

  it("terminal states reject confirm, capture and cancel", () => {
    const { engine } = newEngine();
    const pi = engine.createPaymentIntent(card("pm_card_visa"), SYSTEM).object;
    for (const op of [
      () => engine.confirmPaymentIntent(pi.id, {}, SYSTEM),
      () => engine.capturePaymentIntent(pi.id, {}, SYSTEM),
      () => engine.cancelPaymentIntent(pi.id, {}, SYSTEM),
    ]) {
      try {
        op();
        throw new Error("expected failure");
      } catch (error) {
        expect((error as ApiError).body.code).toBe("payment_intent_unexpected_state");
      }
    }
  });

  it("uncaptured authorisations expire after 7 days on the sandbox clock", () => {
    const { engine, clock, events } = newEngine();
    const pi = engine.createPaymentIntent(card("pm_card_visa", { capture_method: "manual" }), SYSTEM).object;
    clock.advance(7 * 86400 - 10);
    engine.runJobs();
    expect(pi.status).toBe("requires_capture");
    clock.advance(20);
    engine.runJobs();
    expect(pi).toMatchObject({ status: "canceled", cancellation_reason: "automatic" });
    expect(events).toContain("charge.expired");
  });

  it("requires return_url for automatic payment methods unless redirects are disallowed", () => {
    const { engine } = newEngine();
    expect(() => engine.createPaymentIntent({ amount: "1000", currency: "usd", confirm: "true", payment_method: "pm_card_visa" }, SYSTEM)).toThrow(/return_url/);
    const ok = engine.createPaymentIntent(
      { amount: "1000", currency: "usd", confirm: "true", payment_method: "pm_card_visa", automatic_payment_methods: { enabled: "true", allow_redirects: "never" } },
      SYSTEM,
    );
    expect(ok.object.status).toBe("succeeded");
  });
});

describe("ledger", () => {
  it("refunds never exceed the captured amount (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 8 }), (amounts) => {
        const { engine, store } = newEngine();
        const pi = engine.createPaymentIntent(card("pm_card_visa", { amount: "1000" }), SYSTEM).object;
        let refunded = 0;
        for (const amount of amounts) {
          try {
            engine.createRefund({ payment_intent: pi.id, amount: String(amount) }, SYSTEM);
            refunded += amount;
          } catch (error) {
            expect(error).toBeInstanceOf(ApiError);
          }
        }
        const charge = store.get(pi.latest_charge) as Record<string, number>;
        expect(refunded).toBeLessThanOrEqual(1000);
        expect(charge.amount_refunded).toBe(refunded);
        // balance = Σ net of balance transactions
        const nets = (store.lists.get("balance_transaction") ?? []).map((id) => (store.get(id) as unknown as { net: number }).net);
        const balance = engine.balance() as { available: { amount: number }[]; pending: { amount: number }[] };
        expect(balance.available[0].amount + balance.pending[0].amount).toBe(nets.reduce((a, b) => a + b, 0));
      }),
      { numRuns: 40 },
    );
  });

  it("every balance transaction has net = amount − fee", () => {
    const { engine, store } = newEngine();
    engine.createPaymentIntent(card("pm_card_visa", { amount: "12345", currency: "eur" }), SYSTEM);
    engine.createPaymentIntent(card("pm_card_visa", { amount: "5000", currency: "jpy" }), SYSTEM);
    for (const id of store.lists.get("balance_transaction") ?? []) {
      const bt = store.get(id) as unknown as { amount: number; fee: number; net: number; currency: string };
      expect(bt.net).toBe(bt.amount - bt.fee);
      expect(bt.currency).toBe("usd");
    }
  });
});

describe("currencies", () => {
  it("knows minor units and converts across them", () => {
    expect(minorUnitExponent("jpy")).toBe(0);
    expect(minorUnitExponent("kwd")).toBe(3);
    expect(minorUnitExponent("eur")).toBe(2);
    expect(convertMinor(15000, "jpy", "usd", exchangeRate("jpy", "usd"))).toBe(10000);
    expect(minimumAmount("usd")).toBe(50);
  });
});

describe("test cards", () => {
  it("all catalogue numbers pass Luhn and tokens resolve", () => {
    expect(luhnValid("4242424242424242")).toBe(true);
    expect(luhnValid("4242424242424241")).toBe(false);
    expect(resolveCardToken("pm_card_visa")?.card.number).toBe("4242424242424242");
    expect(resolveCardToken("pm_card_visa_applePay")?.wallet).toBe("apple_pay");
    expect(resolveCardToken("pm_card_nope")).toBeNull();
  });
});

describe("search query language", () => {
  it("matches metadata, comparisons, negation and OR", () => {
    const object = { amount: 1000, status: "succeeded", metadata: { settle_payment_id: "pay_1" } };
    const q = (text: string) => matchesSearch(object, parseSearchQuery(text, ["amount", "status"]));
    expect(q("metadata['settle_payment_id']:'pay_1'")).toBe(true);
    expect(q("metadata['settle_payment_id']:'pay_2'")).toBe(false);
    expect(q("amount>500 AND status:'succeeded'")).toBe(true);
    expect(q("-status:'succeeded'")).toBe(false);
    expect(q("status:'canceled' OR amount<=1000")).toBe(true);
    expect(() => parseSearchQuery("a:1 AND b:2 OR c:3", ["a", "b", "c"])).toThrow();
  });
});
