import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { signPayload, verifySignature } from "./signature.ts";

const stripe = new Stripe("sk_test_x");
const secret = "whsec_test_secret";
const payload = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded", data: { object: {} } }, null, 2);

describe("webhook signatures", () => {
  it("matches the SDK's own test header generator byte for byte", () => {
    const t = 1_700_000_000;
    expect(signPayload(payload, secret, t)).toBe(stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t }));
  });

  it("is accepted by stripe.webhooks.constructEvent", () => {
    const header = signPayload(payload, secret, Math.floor(Date.now() / 1000));
    expect(stripe.webhooks.constructEvent(payload, header, secret).id).toBe("evt_1");
  });

  it("is rejected with another secret, a changed body or an old timestamp", () => {
    const now = Math.floor(Date.now() / 1000);
    expect(() => stripe.webhooks.constructEvent(payload, signPayload(payload, "whsec_other", now), secret)).toThrow();
    expect(() => stripe.webhooks.constructEvent(`${payload} `, signPayload(payload, secret, now), secret)).toThrow();
    expect(() => stripe.webhooks.constructEvent(payload, signPayload(payload, secret, now - 301), secret)).toThrow(/tolerance/);
  });

  it("verifies like the SDK (any v1 may match, v0 ignored)", () => {
    const now = 1_700_000_000;
    const header = `${signPayload(payload, secret, now)},v1=deadbeef,v0=00`;
    expect(verifySignature(payload, header, secret, now)).toBe(true);
    expect(verifySignature(payload, header, secret, now + 301)).toBe(false);
    expect(verifySignature(payload, header, "whsec_other", now)).toBe(false);
  });
});
