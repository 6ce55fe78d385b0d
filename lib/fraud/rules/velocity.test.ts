import { describe, expect, it } from "vitest";
import type { AssessPaymentRiskInput } from "../assess-payment-risk.types";
import type { PastAttempt, RuleFacts } from "./rule";
import { activeBlockUntil, velocityRule, ZVelocityConfig } from "./velocity";

const config = ZVelocityConfig.parse({}); // 3 failures max, 1 h window, 1 h block
const MIN = 60_000;
const T0 = Date.parse("2026-11-20T10:00:00Z");

function attempt(minutes: number, overrides: Partial<PastAttempt> = {}): PastAttempt {
  return {
    paymentId: `pay_${minutes}`, customerId: null, emailPseudonym: null, cardFingerprint: "fp_1", ipPseudonym: null, ipCountry: null,
    amountUsd: 10, succeeded: false, occurredAt: new Date(T0 + minutes * MIN), ...overrides,
  };
}

function facts(history: PastAttempt[], atMinutes: number, input: Partial<AssessPaymentRiskInput> = {}): RuleFacts {
  return {
    input: { merchantId: "mer_1", amountMinor: 1000n, currency: "USD", cardFingerprint: "fp_1", paymentMethodType: "card", occurredAt: new Date(T0 + atMinutes * MIN), ...input },
    // The rule sees pseudonyms only; here the plaintext stands in for its pseudonym.
    pseudonyms: { email: input.email ?? null, ipAddress: input.ipAddress ?? null },
    ipLocation: null,
    history: [...history].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime()),
    listMatches: [],
    centroidOf: () => null,
  };
}

describe("velocity", () => {
  it("allows three failures within the window (just under)", () => {
    const result = velocityRule.evaluate(facts([attempt(0), attempt(1), attempt(2)], 3), config);
    expect(result.block).toBeUndefined();
  });

  it("blocks after the fourth failure within the window (over), answering card_declined with retry-after", () => {
    const result = velocityRule.evaluate(facts([attempt(0), attempt(1), attempt(2), attempt(3)], 4), config);
    expect(result.block).toEqual({ code: "card_declined", retryAfterSeconds: 59 * 60 });
    expect(result.reasons[0]!.rule).toBe("velocity");
  });

  it("does not count failures that are a full window apart (window edge)", () => {
    // First and fourth exactly 60 min apart: only three are within any 60-minute window.
    expect(activeBlockUntil([0, 20, 40, 60].map((m) => T0 + m * MIN), T0 + 61 * MIN, config)).toBeNull();
    // One millisecond less and all four are inside.
    expect(activeBlockUntil([T0, T0 + 20 * MIN, T0 + 40 * MIN, T0 + 60 * MIN - 1], T0 + 61 * MIN, config)).toBe(T0 + 120 * MIN - 1);
  });

  it("lifts the block exactly blockSeconds after it tripped", () => {
    const failures = [0, 1, 2, 3].map((m) => T0 + m * MIN);
    expect(activeBlockUntil(failures, T0 + 63 * MIN - 1, config)).toBe(T0 + 63 * MIN);
    expect(activeBlockUntil(failures, T0 + 63 * MIN, config)).toBeNull();
    expect(velocityRule.evaluate(facts([0, 1, 2, 3].map((m) => attempt(m)), 63), config).block).toBeUndefined();
  });

  it("does not let attempts made during a block extend it", () => {
    const failures = [0, 1, 2, 3, 10, 20, 30, 40, 50].map((m) => T0 + m * MIN);
    expect(activeBlockUntil(failures, T0 + 62 * MIN, config)).toBe(T0 + 63 * MIN);
    expect(activeBlockUntil(failures, T0 + 63 * MIN, config)).toBeNull();
  });

  it("ignores successes and other cards", () => {
    const history = [attempt(0), attempt(1, { succeeded: true }), attempt(2), attempt(3, { cardFingerprint: "fp_other" })];
    expect(velocityRule.evaluate(facts(history, 4), config).block).toBeUndefined();
  });

  it("answers rate_limited for an IP address", () => {
    const history = [0, 1, 2, 3].map((m) => attempt(m, { cardFingerprint: `fp_${m}`, ipPseudonym: "203.0.113.9" }));
    const result = velocityRule.evaluate(facts(history, 5, { cardFingerprint: "fp_new", ipAddress: "203.0.113.9" }), config);
    expect(result.block?.code).toBe("rate_limited");
  });

  it("honours a merchant's configuration", () => {
    const strict = ZVelocityConfig.parse({ failuresMax: 1, windowSeconds: 60, blockSeconds: 600 });
    expect(velocityRule.evaluate(facts([attempt(0), attempt(0.5)], 1), strict).block?.retryAfterSeconds).toBe(570);
    expect(() => ZVelocityConfig.parse({ failuresMax: 0 })).toThrow();
  });
});
