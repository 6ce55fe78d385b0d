// The model's inputs: raw transaction facts (FeatureInput) turned into a fixed, scaled vector. Training
// (scripts/train-fraud-model.ts) and scoring both go through extractFeatures, so they cannot drift apart.

export type FeatureInput = {
  /** The attempt's amount in USD (major units; an estimate is fine, it is log-scaled). */
  amountUsd: number;
  /** Mean USD amount of the customer's (or card's) earlier successful payments; null without history. */
  historyAverageAmountUsd: number | null;
  /** Earlier successful payments by the same customer or card. */
  priorSuccessCount: number;
  /** Failed attempts for the same card, customer or email in the last 24 hours. */
  failures24h: number;
  /** Attempts (any result) for the same card, customer or email in the last hour. */
  attemptsLastHour: number;
  /** Distinct card fingerprints seen from the same IP address in the last 24 hours. */
  distinctCardsForIp24h: number;
  /** Distance from the previous attempt's IP location (same card or customer); null when unknown. */
  previousDistanceKm: number | null;
  /** Speed needed to cover that distance in the elapsed time; null when unknown. */
  previousSpeedKmh: number | null;
  /** Hour of day (0–23) at the IP's location, estimated from its longitude; UTC when unknown. */
  localHour: number;
  /** The customer has history but never used this card. */
  newCardForCustomer: boolean;
  /** The email's domain, lower case; null without email. */
  emailDomain: string | null;
  billingCountryMismatch: boolean;
  /** No IP address, or one the database cannot place (private, IPv6, unallocated). */
  ipUnknown: boolean;
};

/** Throw-away mailbox providers: a tiny built-in sample; merchants extend coverage with block lists. */
export const DISPOSABLE_EMAIL_DOMAINS = new Set([
  "mailinator.com", "guerrillamail.com", "10minutemail.com", "tempmail.com", "temp-mail.org", "yopmail.com",
  "trashmail.com", "sharklasers.com", "getnada.com", "dispostable.com", "maildrop.cc", "throwawaymail.com",
]);
export const FREE_EMAIL_DOMAINS = new Set([
  "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com", "gmx.de", "web.de", "mail.ru", "proton.me",
]);

export const FEATURE_NAMES = [
  "log_amount",
  "amount_vs_history",
  "new_customer",
  "failures_24h",
  "attempts_last_hour",
  "cards_per_ip_24h",
  "previous_distance",
  "impossible_speed",
  "night_time",
  "new_card_for_customer",
  "disposable_email",
  "free_email",
  "billing_country_mismatch",
  "ip_unknown",
] as const;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

export function extractFeatures(input: FeatureInput): number[] {
  const amount = Math.max(0, input.amountUsd);
  const ratio =
    input.historyAverageAmountUsd && input.historyAverageAmountUsd > 0 ? clamp(Math.log2((amount + 1) / (input.historyAverageAmountUsd + 1)), -3, 5) / 5 : 0;
  const domain = input.emailDomain?.toLowerCase() ?? null;
  return [
    Math.log10(1 + amount) / 4,
    ratio,
    input.priorSuccessCount === 0 ? 1 : 0,
    Math.min(input.failures24h, 10) / 10,
    Math.min(input.attemptsLastHour, 10) / 10,
    Math.min(input.distinctCardsForIp24h, 10) / 10,
    input.previousDistanceKm === null ? 0 : Math.min(input.previousDistanceKm, 10_000) / 10_000,
    input.previousSpeedKmh !== null && input.previousSpeedKmh > 1_000 ? 1 : 0,
    input.localHour >= 0 && input.localHour < 6 ? 1 : 0,
    input.newCardForCustomer ? 1 : 0,
    domain !== null && DISPOSABLE_EMAIL_DOMAINS.has(domain) ? 1 : 0,
    domain !== null && FREE_EMAIL_DOMAINS.has(domain) ? 1 : 0,
    input.billingCountryMismatch ? 1 : 0,
    input.ipUnknown ? 1 : 0,
  ];
}
