// Reads the facts one payment assessment needs, once, for all rules and the model: the IP's location,
// earlier attempts linked by card, customer, email or IP (bounded look-back), and list matches. Email and
// IP links go through their keyed pseudonyms (attempt-pseudonyms.ts), never the plaintext.
import { db } from "@/lib/db/client";
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
  const links = [
    input.cardFingerprint ? { cardFingerprint: input.cardFingerprint } : null,
    input.customerId ? { customerId: input.customerId } : null,
    pseudonyms.email ? { emailHmac: pseudonyms.email } : null,
    pseudonyms.ipAddress ? { ipAddressHmac: pseudonyms.ipAddress } : null,
  ].filter((link) => link !== null);
  const since = new Date(input.occurredAt.getTime() - HISTORY_LOOKBACK_DAYS * 86_400_000);
  const [rows, listMatches] = await Promise.all([
    links.length === 0
      ? Promise.resolve([])
      : db().riskPaymentAttempt.findMany({
          where: { merchantId: input.merchantId, occurredAt: { gte: since, lte: input.occurredAt }, OR: links },
          select: {
            paymentId: true, customerId: true, emailHmac: true, cardFingerprint: true, ipAddressHmac: true, ipCountry: true,
            amountUsdMinor: true, succeeded: true, occurredAt: true,
          },
          orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
          take: HISTORY_ROWS_MAX,
        }),
    findListMatches(input.merchantId, { ...input, ipCountry: ipLocation?.country ?? null }),
  ]);
  const history: PastAttempt[] = rows.map(({ emailHmac, ipAddressHmac, amountUsdMinor, ...row }) => ({
    ...row,
    emailPseudonym: pseudonymText(emailHmac),
    ipPseudonym: pseudonymText(ipAddressHmac),
    ipCountry: row.ipCountry?.trim() || null,
    amountUsd: amountUsdMinor === null ? null : Number(amountUsdMinor) / 100,
  }));
  return {
    input,
    pseudonyms: { email: pseudonymText(pseudonyms.email), ipAddress: pseudonymText(pseudonyms.ipAddress) },
    ipLocation,
    history,
    listMatches,
    centroidOf: (country) => geo.centroidOf(country),
  };
}
