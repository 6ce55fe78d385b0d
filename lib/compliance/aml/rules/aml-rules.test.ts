import { describe, expect, it } from "vitest";
import { parseAmlConfig } from "../aml-config";
import { runAmlRules, type AmlFacts } from ".";
import { dailyAggregateRule } from "./daily-aggregate";
import { rapidInOutRule } from "./rapid-in-out";
import { reportThresholdRule } from "./report-threshold";
import { isJustUnder, structuringRule } from "./structuring";
import { travelRule } from "./travel-rule";

const config = parseAmlConfig({});
const NOW = new Date("2026-11-20T12:00:00Z");
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

function facts(overrides: Partial<AmlFacts> = {}): AmlFacts {
  return {
    subjectType: "payment", amountMinor: 10_000n, currency: "USD", amountUsdMinor: 10_000n, occurredAt: NOW,
    customerHistory: [], wallet: null, travelRule: null, ...overrides,
  };
}
const usd = (minor: bigint) => ({ amountMinor: minor, amountUsdMinor: minor });

describe("report threshold (10,000 USD)", () => {
  it("just under: no hit; at: hit; over: hit", () => {
    expect(reportThresholdRule.evaluate(facts(usd(999_999n)), config)).toEqual([]);
    expect(reportThresholdRule.evaluate(facts(usd(1_000_000n)), config)).toHaveLength(1);
    expect(reportThresholdRule.evaluate(facts(usd(1_000_001n)), config)).toHaveLength(1);
  });
  it("uses the USD-equivalent, not the face amount", () => {
    expect(reportThresholdRule.evaluate(facts({ amountMinor: 1_000_000n, currency: "EUR", amountUsdMinor: 1_085_000n }), config)).toHaveLength(1);
    expect(reportThresholdRule.evaluate(facts({ amountMinor: 1_000_000n, currency: "JPY", amountUsdMinor: 6_700n }), config)).toEqual([]);
  });
});

describe("travel rule (1,000 USD / 1,000 EUR)", () => {
  const transfer = (amountMinor: bigint, currency: string, names: AmlFacts["travelRule"], amountUsdMinor: bigint | null = amountMinor) =>
    facts({ subjectType: "transfer", amountMinor, currency, amountUsdMinor, travelRule: names });
  const none = { originatorName: null, beneficiaryName: null };
  it("requires names at or above the threshold, not just under it", () => {
    expect(travelRule.evaluate(transfer(99_999n, "USD", none), config)).toEqual([]);
    expect(travelRule.evaluate(transfer(100_000n, "USD", none), config)[0]!.detail).toMatch(/originator name and beneficiary name/);
    expect(travelRule.evaluate(transfer(100_000n, "EUR", none, 108_500n), config)).toHaveLength(1);
    expect(travelRule.evaluate(transfer(99_999n, "EUR", none, 108_499n), config)).toEqual([]);
  });
  it("is satisfied by both names; one missing still hits; payments are out of scope", () => {
    expect(travelRule.evaluate(transfer(500_000n, "USD", { originatorName: "Ann", beneficiaryName: "Bob" }), config)).toEqual([]);
    expect(travelRule.evaluate(transfer(500_000n, "USD", { originatorName: "Ann", beneficiaryName: " " }), config)[0]!.detail).toMatch(/beneficiary name$/);
    expect(travelRule.evaluate(facts(usd(500_000n)), config)).toEqual([]);
  });
  it("other currencies use the USD threshold on the USD-equivalent", () => {
    expect(travelRule.evaluate(transfer(79_000n, "GBP", none, 100_100n), config)).toHaveLength(1);
    expect(travelRule.evaluate(transfer(79_000n, "GBP", none, 99_900n), config)).toEqual([]);
  });
});

describe("daily aggregate (10,000 USD in 24 h)", () => {
  it("counts earlier movements in the last 24 hours with this one, boundary included", () => {
    const history = [{ amountUsdMinor: 600_000n, occurredAt: ago(23) }];
    expect(dailyAggregateRule.evaluate(facts({ ...usd(399_999n), customerHistory: history }), config)).toEqual([]);
    expect(dailyAggregateRule.evaluate(facts({ ...usd(400_000n), customerHistory: history }), config)).toHaveLength(1);
  });
  it("ignores movements 24 hours old or older (window edge)", () => {
    expect(dailyAggregateRule.evaluate(facts({ ...usd(400_000n), customerHistory: [{ amountUsdMinor: 600_000n, occurredAt: ago(24) }] }), config)).toEqual([]);
    expect(dailyAggregateRule.evaluate(facts({ ...usd(400_000n), customerHistory: [{ amountUsdMinor: 600_000n, occurredAt: new Date(ago(24).getTime() + 1) }] }), config)).toHaveLength(1);
  });
});

describe("structuring", () => {
  it("'just under' is [90 %, 100 %) of the report threshold", () => {
    expect(isJustUnder(899_999n, 1_000_000n, 0.9)).toBe(false);
    expect(isJustUnder(900_000n, 1_000_000n, 0.9)).toBe(true);
    expect(isJustUnder(999_999n, 1_000_000n, 0.9)).toBe(true);
    expect(isJustUnder(1_000_000n, 1_000_000n, 0.9)).toBe(false);
  });
  it("hits on the third just-under amount within 72 h, not the second, not outside the window", () => {
    const one = [{ amountUsdMinor: 950_000n, occurredAt: ago(10) }];
    const two = [...one, { amountUsdMinor: 920_000n, occurredAt: ago(71) }];
    expect(structuringRule.evaluate(facts({ ...usd(990_000n), customerHistory: one }), config)).toEqual([]);
    expect(structuringRule.evaluate(facts({ ...usd(990_000n), customerHistory: two }), config)[0]!.detail).toMatch(/^3 amounts/);
    const stale = [...one, { amountUsdMinor: 920_000n, occurredAt: ago(72) }];
    expect(structuringRule.evaluate(facts({ ...usd(990_000n), customerHistory: stale }), config)).toEqual([]);
    expect(structuringRule.evaluate(facts({ ...usd(500_000n), customerHistory: two }), config)).toEqual([]);
  });
});

describe("rapid in-and-out", () => {
  const out = (amount: bigint, inflow: bigint, outflow = 0n) =>
    facts({ subjectType: "transfer", ...usd(amount), wallet: { inflowUsdMinor: inflow, outflowUsdMinor: outflow } });
  it("hits when outflows reach 80 % of the window's inflows", () => {
    expect(rapidInOutRule.evaluate(out(79_999n, 100_000n), config)).toEqual([]);
    expect(rapidInOutRule.evaluate(out(80_000n, 100_000n), config)).toHaveLength(1);
    expect(rapidInOutRule.evaluate(out(30_000n, 100_000n, 50_000n), config)).toHaveLength(1);
  });
  it("ignores small wallets (under 1,000 USD in) and payments", () => {
    expect(rapidInOutRule.evaluate(out(99_999n, 99_999n), config)).toEqual([]);
    expect(rapidInOutRule.evaluate(facts({ ...usd(100_000n), wallet: { inflowUsdMinor: 100_000n, outflowUsdMinor: 0n } }), config)).toEqual([]);
  });
});

describe("runAmlRules and configuration", () => {
  it("holds on any hit and notes a missing FX rate without holding by default", () => {
    expect(runAmlRules(facts(usd(1_000_000n)), config).hold).toBe(true);
    expect(runAmlRules(facts(usd(100n)), config)).toEqual({ hold: false, reasons: [] });
    const unknown = runAmlRules(facts({ amountMinor: 100n, currency: "EUR", amountUsdMinor: null }), config);
    expect(unknown.hold).toBe(false);
    expect(unknown.reasons[0]!.rule).toBe("aml_fx_rate_missing");
    expect(runAmlRules(facts({ amountMinor: 100n, currency: "EUR", amountUsdMinor: null }), parseAmlConfig({ missingFxRate: "review" })).hold).toBe(true);
  });
  it("takes thresholds as integers or digit strings, and refuses nonsense", () => {
    expect(parseAmlConfig({ reportThresholdUsdMinor: "500000" }).reportThresholdUsdMinor).toBe(500_000n);
    expect(parseAmlConfig({ reportThresholdUsdMinor: 300_000 }).reportThresholdUsdMinor).toBe(300_000n);
    expect(parseAmlConfig({ structuring: { countMin: 4 } }).structuring).toEqual({ lowerFraction: 0.9, countMin: 4, windowHours: 72 });
    expect(() => parseAmlConfig({ reportThresholdUsdMinor: -1 })).toThrow();
    expect(() => parseAmlConfig({ structuring: { lowerFraction: 1.5 } })).toThrow();
  });
});
