// Reads the facts one payment assessment needs, once, for all rules and the model: the IP's location,
// earlier attempts linked by card, customer, email or IP (bounded look-back), and list matches. Email and
// IP links go through their keyed pseudonyms (attempt-pseudonyms.ts), never the plaintext.
import { sqlPool } from "@/lib/db/client";
import { findAttemptPseudonyms, pseudonymText } from "./attempt-pseudonyms";
import type { AssessPaymentRiskInput } from "./assess-payment-risk.types";
import { getIpGeoDatabase } from "./geo/ip-geolocation";
import { findListMatches } from "./manage-risk-lists";
import type { PastAttempt, RuleFacts } from "./rules/rule";

export const HISTORY_LOOKBACK_DAYS = 30;
export const HISTORY_ROWS_MAX = 1_000;

export async function gatherPaymentFacts(input: AssessPaymentRiskInput): Promise<RuleFacts> {
  const geo = getIpGeoDatabase();
  const ipLocation = input.ipAddress ? geo.locate(input.ipAddress) : null;
  const pseudonyms = await findAttemptPseudonyms(input.merchantId, input);
  const since = new Date(input.occurredAt.getTime() - HISTORY_LOOKBACK_DAYS * 86_400_000);
  const [history, listMatches] = await Promise.all([
    readLinkedAttempts(input, pseudonyms, since),
    findListMatches(input.merchantId, { ...input, ipCountry: ipLocation?.country ?? null }),
  ]);
  return {
    input,
    pseudonyms: { email: pseudonymText(pseudonyms.email), ipAddress: pseudonymText(pseudonyms.ipAddress) },
    ipLocation,
    history,
    listMatches,
    centroidOf: (country) => geo.centroidOf(country),
  };
}

type AttemptRow = {
  payment_id: string;
  customer_id: string | null;
  email_hmac: Buffer | null;
  card_fingerprint: string | null;
  ip_address_hmac: Buffer | null;
  ip_country: string | null;
  amount_usd_minor: string | null;
  succeeded: boolean;
  occurred_at: Date;
};

/**
 * Earlier attempts linked to this one by card, customer, email or IP pseudonym, newest first, bounded in
 * time and rows. A prepared statement on the pg pool: it runs for every payment and can return up to
 * HISTORY_ROWS_MAX rows (a card seen often), which Prisma's row mapping made a large part of the risk step.
 * An absent link is a null parameter, which matches nothing.
 */
async function readLinkedAttempts(input: AssessPaymentRiskInput, pseudonyms: { email: Uint8Array | null; ipAddress: Uint8Array | null }, since: Date): Promise<PastAttempt[]> {
  const links = [input.cardFingerprint ?? null, input.customerId ?? null, pseudonyms.email ? Buffer.from(pseudonyms.email) : null, pseudonyms.ipAddress ? Buffer.from(pseudonyms.ipAddress) : null];
  if (links.every((link) => link === null)) return [];
  const { rows } = await sqlPool().query<AttemptRow>({
    name: "risk_linked_attempts_v1",
    text: `select payment_id, customer_id, email_hmac, card_fingerprint, ip_address_hmac, ip_country, amount_usd_minor, succeeded, occurred_at
           from risk_payment_attempts
           where merchant_id = $1 and occurred_at >= $2 and occurred_at <= $3
             and (card_fingerprint = $4 or customer_id = $5 or email_hmac = $6 or ip_address_hmac = $7)
           order by occurred_at desc, id desc
           limit ${HISTORY_ROWS_MAX}`,
    values: [input.merchantId, since, input.occurredAt, ...links],
  });
  return rows.map((row) => ({
    paymentId: row.payment_id,
    customerId: row.customer_id,
    cardFingerprint: row.card_fingerprint,
    succeeded: row.succeeded,
    occurredAt: row.occurred_at,
    emailPseudonym: pseudonymText(row.email_hmac),
    ipPseudonym: pseudonymText(row.ip_address_hmac),
    ipCountry: row.ip_country?.trim() || null,
    amountUsd: row.amount_usd_minor === null ? null : Number(row.amount_usd_minor) / 100,
  }));
}
