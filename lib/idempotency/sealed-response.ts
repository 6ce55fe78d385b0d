// Stored responses are sealed at rest (AES-256-GCM): they can hold personal data (a customer's email)
// or a secret shown once (a webhook signing secret), and idempotency_keys is no place for plaintext.
// The key is derived from the key-encryption key (retired KEKs still open older rows during a
// rotation); the scope (merchant, endpoint, key) is the AAD, so a body cannot be replayed elsewhere.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getEnv } from "@/lib/env";

const PREFIX = "sealed:v1:";
const INFO = "settle/idempotency-response/v1";
let cachedKeys: Buffer[] | undefined;

function derive(material: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), INFO, 32));
}

/** The current key first, then keys from retired KEKs. */
function keys(): Buffer[] {
  if (cachedKeys) return cachedKeys;
  const env = getEnv();
  const current = env.ENCRYPTION_KEK ? Buffer.from(env.ENCRYPTION_KEK, "base64") : Buffer.from(env.AUTH_SECRET, "utf8");
  const retired = (env.ENCRYPTION_KEKS_RETIRED ?? "")
    .split(",")
    .filter(Boolean)
    .map((pair) => Buffer.from(pair.slice(pair.indexOf(":") + 1), "base64"));
  cachedKeys = [current, ...retired].map(derive);
  return cachedKeys;
}

export function sealResponseBody(body: string, scope: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys()[0]!, iv);
  cipher.setAAD(Buffer.from(scope));
  const ciphertext = Buffer.concat([cipher.update(body, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

export function openResponseBody(stored: string, scope: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), "base64");
  let lastError: unknown;
  for (const key of keys()) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(scope));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error("stored idempotent response cannot be opened with the configured keys", { cause: lastError });
}
