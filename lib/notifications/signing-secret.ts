// Webhook signing secrets: generated here, shown to the merchant once, stored AES-256-GCM encrypted
// under a key derived (HKDF) from the merchant's data key, which the KEK (ENCRYPTION_KEK or a KMS)
// wraps: so a KEK rotation covers these secrets too, and the ciphertext is bound to its row and column.
import { hkdfSync, randomBytes } from "node:crypto";
import { assert } from "@/lib/api/errors";
import { decryptAesGcm, encryptAesGcm, fieldContext, KEY_BYTES, toBytes } from "@/lib/compliance/encryption/aes-gcm";
import { findMerchantDataKey, getOrCreateMerchantDataKey, type MerchantKey } from "@/lib/compliance/encryption/key-hierarchy";
import type { Tx } from "@/lib/db/client";

export type SecretColumn = "secret_encrypted" | "previous_secret_encrypted";

export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

function secretKey(merchantKey: MerchantKey): Buffer {
  return Buffer.from(hkdfSync("sha256", merchantKey.key, Buffer.from("settle-webhook-secret-v1"), Buffer.from("webhook_endpoints"), KEY_BYTES));
}

export async function encryptSigningSecret(tx: Tx, merchantId: string, endpointId: string, column: SecretColumn, secret: string): Promise<Uint8Array<ArrayBuffer>> {
  assert(secret.startsWith("whsec_"), "a signing secret starts with whsec_");
  const merchantKey = await getOrCreateMerchantDataKey(tx, merchantId);
  return toBytes(encryptAesGcm(secretKey(merchantKey), Buffer.from(secret, "utf8"), fieldContext("webhook_endpoints", endpointId, column)));
}

export async function decryptSigningSecret(merchantId: string, endpointId: string, column: SecretColumn, sealed: Uint8Array): Promise<string> {
  const merchantKey = await findMerchantDataKey(merchantId);
  assert(merchantKey, "a merchant with webhook endpoints has a data key");
  return decryptAesGcm(secretKey(merchantKey), sealed, fieldContext("webhook_endpoints", endpointId, column)).toString("utf8");
}
