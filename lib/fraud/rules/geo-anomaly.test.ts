import { describe, expect, it } from "vitest";
import { createIpGeoDatabase } from "../geo/ip-geolocation";
import { billingCountryMismatchRule, ZBillingCountryMismatchConfig } from "./billing-country-mismatch";
import { checkTravel, geoAnomalyRule, ZGeoAnomalyConfig } from "./geo-anomaly";
import type { PastAttempt, RuleFacts } from "./rule";

const config = ZGeoAnomalyConfig.parse({});
const US = { latitude: 38, longitude: -97 };
const DE = { latitude: 51, longitude: 9 };
const NL = { latitude: 52.5, longitude: 5.75 };
const T0 = Date.parse("2026-11-20T10:00:00Z");
const HOUR = 3_600_000;
const geo = createIpGeoDatabase("", { US: [38, -97], DE: [51, 9], NL: [52.5, 5.75] });

function facts(previous: Partial<PastAttempt> & { occurredAt: Date }, now: Date, country: string, input: Record<string, unknown> = {}): RuleFacts {
  return {
    input: { merchantId: "m", amountMinor: 100n, currency: "USD", cardFingerprint: "fp", paymentMethodType: "card", occurredAt: now, ...input },
    pseudonyms: { email: null, ipAddress: null },
    ipLocation: geo.centroidOf(country),
    history: [{ paymentId: "p", customerId: null, emailPseudonym: null, cardFingerprint: "fp", ipPseudonym: "x", ipCountry: "US", amountUsd: 1, succeeded: true, ...previous }],
    listMatches: [],
    centroidOf: geo.centroidOf,
  };
}

describe("impossible travel", () => {
  it("US then Germany within an hour is impossible; ten hours later it is possible", () => {
    expect(checkTravel({ ...US, at: new Date(T0) }, { ...DE, at: new Date(T0 + HOUR) }, config).impossible).toBe(true);
    expect(checkTravel({ ...US, at: new Date(T0) }, { ...DE, at: new Date(T0 + 10 * HOUR) }, config).impossible).toBe(false);
  });

  it("treats the speed limit as a boundary: at the limit possible, just over impossible", () => {
    const { distanceKm } = checkTravel({ ...US, at: new Date(T0) }, { ...DE, at: new Date(T0 + HOUR) }, config);
    const hoursAtLimit = distanceKm / config.maxSpeedKmh;
    expect(checkTravel({ ...US, at: new Date(T0) }, { ...DE, at: new Date(T0 + hoursAtLimit * HOUR + 1000) }, config).impossible).toBe(false);
    expect(checkTravel({ ...US, at: new Date(T0) }, { ...DE, at: new Date(T0 + hoursAtLimit * HOUR - 60_000) }, config).impossible).toBe(true);
  });

  it("never flags short distances (coarse centroids), even instantly", () => {
    const short = checkTravel({ ...DE, at: new Date(T0) }, { ...NL, at: new Date(T0) }, config);
    expect(short.distanceKm).toBeLessThan(config.minDistanceKm);
    expect(short.impossible).toBe(false);
  });

  it("the rule adds its weight for the same card, not for an unrelated one", () => {
    const hit = geoAnomalyRule.evaluate(facts({ occurredAt: new Date(T0) }, new Date(T0 + HOUR), "DE"), config);
    expect(hit.weight).toBe(40);
    expect(hit.reasons[0]!.detail).toMatch(/US → DE/);
    const other = geoAnomalyRule.evaluate(facts({ occurredAt: new Date(T0), cardFingerprint: "other" }, new Date(T0 + HOUR), "DE"), config);
    expect(other.weight).toBe(0);
    expect(geoAnomalyRule.evaluate(facts({ occurredAt: new Date(T0) }, new Date(T0 + 12 * HOUR), "DE"), config).weight).toBe(0);
  });

  it("matches by customer too", () => {
    const hit = geoAnomalyRule.evaluate(
      facts({ occurredAt: new Date(T0), cardFingerprint: "other", customerId: "cus_1" }, new Date(T0 + HOUR), "DE", { customerId: "cus_1" }),
      config,
    );
    expect(hit.weight).toBe(40);
  });
});

describe("billing country mismatch", () => {
  const mismatch = ZBillingCountryMismatchConfig.parse({});
  it("adds weight when billing and IP countries differ, nothing when they agree or one is unknown", () => {
    expect(billingCountryMismatchRule.evaluate(facts({ occurredAt: new Date(T0) }, new Date(T0), "DE", { billingCountry: "US" }), mismatch).weight).toBe(15);
    expect(billingCountryMismatchRule.evaluate(facts({ occurredAt: new Date(T0) }, new Date(T0), "DE", { billingCountry: "DE" }), mismatch).weight).toBe(0);
    expect(billingCountryMismatchRule.evaluate(facts({ occurredAt: new Date(T0) }, new Date(T0), "DE"), mismatch).weight).toBe(0);
  });
});
