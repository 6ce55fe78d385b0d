// Keyed pseudonyms for the email and IP address of a payment attempt (risk_payment_attempts.email_hmac,
// .ip_address_hmac). Velocity and the model only ever compare these for equality, so an HMAC under the
// merchant's blind-index key (lib/compliance/encryption) serves them without keeping the plaintext: a
// database dump reveals neither, and nobody without the merchant key can test a guessed email or IP.
import {
  findMerchantDataKey, getOrCreateMerchantDataKey, keyedPseudonym, normaliseEmail, normaliseIpAddress, type MerchantKey,
} from "@/lib/compliance/encryption/key-hierarchy";
import { toBytes } from "@/lib/compliance/encryption/aes-gcm";
import { db, type Db, type Tx } from "@/lib/db/client";

export const ATTEMPT_EMAIL_PURPOSE = "risk_payment_attempts.email";
export const ATTEMPT_IP_PURPOSE = "risk_payment_attempts.ip_address";

export type AttemptPseudonyms = { email: Uint8Array<ArrayBuffer> | null; ipAddress: Uint8Array<ArrayBuffer> | null };

const NONE: AttemptPseudonyms = { email: null, ipAddress: null };

export function attemptEmailPseudonym(merchantKey: MerchantKey, email: string): Uint8Array<ArrayBuffer> {
  return toBytes(keyedPseudonym(merchantKey, ATTEMPT_EMAIL_PURPOSE, normaliseEmail(email)));
}

export function attemptIpPseudonym(merchantKey: MerchantKey, ipAddress: string): Uint8Array<ArrayBuffer> {
  return toBytes(keyedPseudonym(merchantKey, ATTEMPT_IP_PURPOSE, normaliseIpAddress(ipAddress)));
}

function pseudonymsWith(merchantKey: MerchantKey | null, input: { email?: string | null; ipAddress?: string | null }): AttemptPseudonyms {
  if (!merchantKey) return NONE;
  return {
    email: input.email ? attemptEmailPseudonym(merchantKey, input.email) : null,
    ipAddress: input.ipAddress ? attemptIpPseudonym(merchantKey, input.ipAddress) : null,
  };
}

/**
 * For reading history: null pseudonyms when the merchant has no data key yet (then no attempt of theirs
 * can carry one either, since recording creates the key).
 */
export async function findAttemptPseudonyms(merchantId: string, input: { email?: string | null; ipAddress?: string | null }, client: Tx | Db = db()): Promise<AttemptPseudonyms> {
  if (!input.email && !input.ipAddress) return NONE;
  return pseudonymsWith(await findMerchantDataKey(merchantId, client), input);
}

/** For recording: creates the merchant data key on first use (the merchant may have no customers yet). */
export async function getAttemptPseudonyms(merchantId: string, input: { email?: string | null; ipAddress?: string | null }, client: Tx | Db = db()): Promise<AttemptPseudonyms> {
  if (!input.email && !input.ipAddress) return NONE;
  const merchantKey = (await findMerchantDataKey(merchantId, client)) ?? (await getOrCreateMerchantDataKey(client, merchantId));
  return pseudonymsWith(merchantKey, input);
}

/** How pseudonyms are compared in memory (rules, features): base64url strings. */
export function pseudonymText(value: Uint8Array | null): string | null {
  return value ? Buffer.from(value).toString("base64url") : null;
}
