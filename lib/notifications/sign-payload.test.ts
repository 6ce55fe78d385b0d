// Signature scheme: round trip, tampering, tolerance, several v1 entries, malformed headers.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { computeMerchantSignature, signMerchantPayload, verifyMerchantSignature } from "./sign-payload";

const secret = "whsec_test_secret";

describe("verifyMerchantSignature", () => {
  test("accepts its own signature for any payload, and rejects any other payload", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 4_000_000_000 }), (payload, other, t) => {
        const header = signMerchantPayload(payload, [secret], t);
        expect(verifyMerchantSignature(payload, header, secret, 300, t)).toBe(true);
        if (other !== payload) expect(verifyMerchantSignature(other, header, secret, 300, t)).toBe(false);
      }),
    );
  });

  test("matches Stripe's scheme: HMAC-SHA256 over `t.payload`, hex", () => {
    // Reference computed independently: printf "1700000000.{\"a\":1}" | openssl dgst -sha256 -hmac whsec_test_secret
    expect(computeMerchantSignature('{"a":1}', secret, 1_700_000_000)).toBe("aecbc681fe3d2604c08ff8e880a0988d997a12367fcf9545e6a3b90c1dfc04b7");
    expect(signMerchantPayload('{"a":1}', [secret], 1_700_000_000)).toBe(`t=1700000000,v1=${computeMerchantSignature('{"a":1}', secret, 1_700_000_000)}`);
  });

  test("tolerance: too old or too far in the future fails; 0 turns the check off", () => {
    const header = signMerchantPayload("x", [secret], 1000);
    expect(verifyMerchantSignature("x", header, secret, 300, 1300)).toBe(true);
    expect(verifyMerchantSignature("x", header, secret, 300, 1301)).toBe(false);
    expect(verifyMerchantSignature("x", header, secret, 300, 699)).toBe(false);
    expect(verifyMerchantSignature("x", header, secret, 0, 999_999)).toBe(true);
  });

  test("any of several v1 entries may match (secret rolling)", () => {
    const header = signMerchantPayload("x", ["whsec_new", "whsec_old"], 1000);
    expect(header.split(",")).toHaveLength(3);
    expect(verifyMerchantSignature("x", header, "whsec_new", 300, 1000)).toBe(true);
    expect(verifyMerchantSignature("x", header, "whsec_old", 300, 1000)).toBe(true);
    expect(verifyMerchantSignature("x", header, "whsec_other", 300, 1000)).toBe(false);
  });

  test.each([null, undefined, "", "t=1000", "v1=abc", "t=abc,v1=" + "0".repeat(64), "t=1000,v0=" + "0".repeat(64), "garbage"])("rejects malformed header %s", (header) => {
    expect(verifyMerchantSignature("x", header, secret, 300, 1000)).toBe(false);
  });
});

test("Stripe's own SDK verifier accepts Settle's header (same scheme)", async () => {
  const { default: Stripe } = await import("stripe");
  const stripe = new Stripe("sk_test_unused");
  const payload = JSON.stringify({ id: "evt_1", object: "event", type: "payment.captured" });
  const now = Math.floor(Date.now() / 1000);
  const header = signMerchantPayload(payload, ["whsec_new", "whsec_old"], now);
  expect(stripe.webhooks.constructEvent(payload, header, "whsec_old").id).toBe("evt_1");
  expect(() => stripe.webhooks.constructEvent(payload, header, "whsec_other")).toThrow();
});
