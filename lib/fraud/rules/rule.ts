// What a fraud rule is: a name, a zod schema for its configuration (defaults included, overridable per
// merchant in risk_settings.rules[name]), and a pure evaluate function over the facts gathered for one
// attempt. Rules never touch the database; assessPaymentRisk gathers the facts once for all of them.
import type { z } from "zod";
import type { GeoPoint } from "../geo/ip-geolocation";
import type { AssessPaymentRiskInput, BlockCode, RiskReason } from "../assess-payment-risk.types";

/** One earlier attempt linked to this one by card fingerprint, customer, email or IP. */
export type PastAttempt = {
  paymentId: string;
  customerId: string | null;
  /** Keyed pseudonym of the email (base64url HMAC, see attempt-pseudonyms.ts); compare with facts.pseudonyms. */
  emailPseudonym: string | null;
  cardFingerprint: string | null;
  /** Keyed pseudonym of the IP address; compare with facts.pseudonyms. */
  ipPseudonym: string | null;
  ipCountry: string | null;
  amountUsd: number | null;
  succeeded: boolean;
  occurredAt: Date;
};

export type ListEntry = { listType: "allow" | "block"; kind: "email" | "card_fingerprint" | "ip" | "country"; value: string };

export type RuleFacts = {
  input: AssessPaymentRiskInput;
  /** This attempt's email and IP as keyed pseudonyms, comparable with PastAttempt's (null when absent). */
  pseudonyms: { email: string | null; ipAddress: string | null };
  /** Where the IP address is, when it can be placed. */
  ipLocation: GeoPoint | null;
  /** Earlier attempts sharing a card, customer, email or IP, newest first (bounded look-back). */
  history: PastAttempt[];
  /** The merchant's list entries that match this attempt's email, card, IP or countries. */
  listMatches: ListEntry[];
  centroidOf: (country: string) => GeoPoint | null;
};

export type RuleResult = {
  weight: number;
  reasons: RiskReason[];
  /** A hard stop regardless of score. */
  block?: { code: BlockCode; retryAfterSeconds?: number };
  /** An allow-list hit: skip the score thresholds (velocity and AML still apply). */
  allow?: boolean;
};

export type FraudRule<TConfig> = {
  name: string;
  configSchema: z.ZodType<TConfig>;
  evaluate(facts: RuleFacts, config: TConfig): RuleResult;
};

export const NO_HIT: RuleResult = { weight: 0, reasons: [] };
