// The fingerprint that tells "the same request again" from "a different request with the same key".
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so key order in the client's body does not matter. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

// base64url, not hex: a stored hex digest holds a Luhn-valid run of 13–19 digits about once in 230
// rows, which the PAN scan (lib/compliance/scan-for-card-numbers.ts) rightly reports as a card number.
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method.toUpperCase()} ${path}\n${canonicalJson(body ?? {})}`).digest("base64url");
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Idempotency-Key: 1–255 printable ASCII characters, no spaces. */
export function isValidIdempotencyKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}
