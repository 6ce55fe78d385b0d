// Stripe webhook signing: `Stripe-Signature: t=<unix>,v1=<hex hmac-sha256(secret, "t.payload")>`.
import { createHmac, timingSafeEqual } from "node:crypto";

export function computeSignature(payload: string, secret: string, timestampSeconds: number): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`, "utf8").digest("hex");
}

export function signPayload(payload: string, secret: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${computeSignature(payload, secret, timestampSeconds)}`;
}

/** Mirror of the SDK's verifier, for the sandbox's own tests and tooling. */
export function verifySignature(
  payload: string,
  header: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  let timestamp = -1;
  const candidates: string[] = [];
  for (const item of header.split(",")) {
    const [scheme, value] = item.split("=");
    if (scheme === "t") timestamp = Number(value);
    if (scheme === "v1" && value) candidates.push(value);
  }
  if (timestamp < 0 || candidates.length === 0) return false;
  if (toleranceSeconds > 0 && nowSeconds - timestamp > toleranceSeconds) return false;
  const expected = Buffer.from(computeSignature(payload, secret, timestamp), "utf8");
  return candidates.some((candidate) => {
    const given = Buffer.from(candidate, "utf8");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
