import { describe, expect, it } from "vitest";
import { decideOutcome, type OutcomeInput } from "./decide-outcome";
import { merchantListsRule } from "./rules/merchant-lists";
import type { RuleFacts } from "./rules/rule";

const base: OutcomeInput = {
  modelScore: 10,
  modelReason: { rule: "ml_model", detail: "model score 10", weight: 10 },
  ruleResults: [],
  aml: { hold: false, reasons: [] },
  thresholds: { reviewThreshold: 50, blockThreshold: 80 },
};

describe("outcome thresholds", () => {
  it("is allow just under the review threshold, review at it, block at the block threshold", () => {
    expect(decideOutcome({ ...base, modelScore: 49 }).outcome).toBe("allow");
    expect(decideOutcome({ ...base, modelScore: 50 }).outcome).toBe("review");
    expect(decideOutcome({ ...base, modelScore: 79 }).outcome).toBe("review");
    const blocked = decideOutcome({ ...base, modelScore: 80 });
    expect(blocked.outcome).toBe("block");
    expect(blocked.blockCode).toBe("card_declined");
  });

  it("adds rule weights to the model score and caps at 100", () => {
    const result = decideOutcome({ ...base, modelScore: 70, ruleResults: [{ weight: 40, reasons: [{ rule: "geo_anomaly", detail: "x", weight: 40 }] }] });
    expect(result.score).toBe(100);
    expect(result.reasons.map((r) => r.rule)).toEqual(["geo_anomaly", "ml_model"]);
  });

  it("uses per-merchant thresholds", () => {
    expect(decideOutcome({ ...base, modelScore: 30, thresholds: { reviewThreshold: 30, blockThreshold: 90 } }).outcome).toBe("review");
  });

  it("a hard block wins over everything; an AML hold wins over an allow-list hit", () => {
    const velocity = { weight: 0, reasons: [], block: { code: "rate_limited" as const, retryAfterSeconds: 30 } };
    expect(decideOutcome({ ...base, ruleResults: [velocity, { weight: 0, reasons: [], allow: true }] })).toMatchObject({ outcome: "block", blockCode: "rate_limited", retryAfterSeconds: 30 });
    expect(decideOutcome({ ...base, ruleResults: [{ weight: 0, reasons: [], allow: true }], aml: { hold: true, reasons: [] } }).outcome).toBe("review");
    expect(decideOutcome({ ...base, modelScore: 95, ruleResults: [{ weight: 0, reasons: [], allow: true }] }).outcome).toBe("allow");
  });
});

describe("merchant lists rule", () => {
  const facts = (listMatches: RuleFacts["listMatches"]): RuleFacts => ({
    input: { merchantId: "m", amountMinor: 1n, currency: "USD", paymentMethodType: "card", occurredAt: new Date() },
    pseudonyms: { email: null, ipAddress: null }, ipLocation: null, history: [], listMatches, centroidOf: () => null,
  });
  it("blocks on a block-list entry even when also allow-listed, allows on an allow-list entry", () => {
    const both = merchantListsRule.evaluate(facts([{ listType: "allow", kind: "email", value: "a@b.c" }, { listType: "block", kind: "country", value: "XX" }]), { enabled: true });
    expect(both.block?.code).toBe("card_declined");
    expect(merchantListsRule.evaluate(facts([{ listType: "allow", kind: "email", value: "a@b.c" }]), { enabled: true }).allow).toBe(true);
    expect(merchantListsRule.evaluate(facts([{ listType: "block", kind: "ip", value: "1.2.3.4" }]), { enabled: false }).block).toBeUndefined();
  });
});
