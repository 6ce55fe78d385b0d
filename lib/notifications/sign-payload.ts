// Settle's webhook signatures, the same scheme as Stripe's: `Settle-Signature: t=<unix>,v1=<hex>` where
// the hex is HMAC-SHA256(secret, "<t>.<raw body>"). During a secret roll there is one v1 per valid secret.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "Settle-Signature";
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function computeMerchantSignature(payload: string, secret: string, timestampSeconds: number): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`, "utf8").digest("hex");
}

/** The header value for a payload signed with every given secret (newest first). */
export function signMerchantPayload(payload: string, secrets: readonly string[], timestampSeconds: number): string {
  if (secrets.length === 0) throw new Error("at least one signing secret is needed");
  return [`t=${timestampSeconds}`, ...secrets.map((secret) => `v1=${computeMerchantSignature(payload, secret, timestampSeconds)}`)].join(",");
}

/**
 * Whether `header` carries a valid v1 signature of `payload` (the raw request body, unparsed) under
 * `secret`, made at most `toleranceSeconds` ago (0 turns the age check off). Receivers use this.
 */
export function verifyMerchantSignature(
  payload: string,
  header: string | null | undefined,
  secret: string,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false;
  let timestamp = Number.NaN;
  const candidates: string[] = [];
  for (const item of header.split(",")) {
    const separator = item.indexOf("=");
    if (separator < 0) continue;
    const scheme = item.slice(0, separator).trim();
    const value = item.slice(separator + 1).trim();
    if (scheme === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    if (scheme === "v1" && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (!Number.isFinite(timestamp) || candidates.length === 0) return false;
  // Too old is a replay; far in the future is a forged or badly skewed timestamp.
  if (toleranceSeconds > 0 && Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(computeMerchantSignature(payload, secret, timestamp), "hex");
  let valid = false;
  for (const candidate of candidates) {
    // No early exit: every candidate is compared in constant time.
    if (timingSafeEqual(Buffer.from(candidate, "hex"), expected)) valid = true;
  }
  return valid;
}
