// Turns the facts gathered for one payment attempt into the model's FeatureInput.
import { distanceKm } from "../geo/ip-geolocation";
import { previousLocatedAttempt } from "../rules/geo-anomaly";
import type { RuleFacts } from "../rules/rule";
import type { FeatureInput } from "./features";

const HOUR_MS = 3_600_000;

export function paymentFeatureInput(facts: RuleFacts, amountUsd: number): FeatureInput {
  const { input, history, ipLocation } = facts;
  const now = input.occurredAt.getTime();
  const sameOwner = history.filter(
    (a) => (input.customerId && a.customerId === input.customerId) || (!input.customerId && input.cardFingerprint && a.cardFingerprint === input.cardFingerprint),
  );
  const successes = sameOwner.filter((a) => a.succeeded);
  const amounts = successes.map((a) => a.amountUsd).filter((v): v is number => v !== null);
  const linked = history.filter(
    (a) =>
      (input.cardFingerprint && a.cardFingerprint === input.cardFingerprint) ||
      (input.customerId && a.customerId === input.customerId) ||
      (facts.pseudonyms.email && a.emailPseudonym === facts.pseudonyms.email),
  );
  const ipPseudonym = facts.pseudonyms.ipAddress;
  const ipAttempts = ipPseudonym ? history.filter((a) => a.ipPseudonym === ipPseudonym && now - a.occurredAt.getTime() < 24 * HOUR_MS) : [];
  const cardsForIp = new Set(ipAttempts.map((a) => a.cardFingerprint).filter(Boolean));
  if (input.cardFingerprint && input.ipAddress) cardsForIp.add(input.cardFingerprint);

  const previous = previousLocatedAttempt(facts);
  const origin = previous?.ipCountry ? facts.centroidOf(previous.ipCountry) : null;
  let previousDistanceKm: number | null = null;
  let previousSpeedKmh: number | null = null;
  if (previous && origin && ipLocation) {
    previousDistanceKm = distanceKm(origin, ipLocation);
    const hours = Math.max(1 / 60, (now - previous.occurredAt.getTime()) / HOUR_MS);
    previousSpeedKmh = previousDistanceKm / hours;
  }
  const offsetHours = ipLocation ? Math.round(ipLocation.longitude / 15) : 0;
  const customerSuccesses = input.customerId ? history.filter((a) => a.customerId === input.customerId && a.succeeded) : [];

  return {
    amountUsd,
    historyAverageAmountUsd: amounts.length ? amounts.reduce((s, v) => s + v, 0) / amounts.length : null,
    priorSuccessCount: successes.length,
    failures24h: linked.filter((a) => !a.succeeded && now - a.occurredAt.getTime() < 24 * HOUR_MS).length,
    attemptsLastHour: linked.filter((a) => now - a.occurredAt.getTime() < HOUR_MS).length,
    distinctCardsForIp24h: cardsForIp.size,
    previousDistanceKm,
    previousSpeedKmh,
    localHour: (((input.occurredAt.getUTCHours() + offsetHours) % 24) + 24) % 24,
    newCardForCustomer: Boolean(input.cardFingerprint && customerSuccesses.length > 0 && !customerSuccesses.some((a) => a.cardFingerprint === input.cardFingerprint)),
    emailDomain: input.email?.split("@")[1]?.toLowerCase() ?? null,
    billingCountryMismatch: Boolean(input.billingCountry && ipLocation && input.billingCountry !== ipLocation.country),
    ipUnknown: !ipLocation,
  };
}
