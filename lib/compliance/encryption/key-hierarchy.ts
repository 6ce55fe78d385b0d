// The key hierarchy for personal data at rest (envelope encryption):
//
//   KEK (KeyProvider: ENCRYPTION_KEK locally, or a KMS key)       — never stored in the database
//    └─ merchant data key   merchant_data_keys.wrapped_key   wrapped by the KEK, with kek_version
//        ├─ blind-index key  derived (HKDF) from the merchant data key, never stored
//        └─ customer data key  customer_data_keys.wrapped_key  wrapped by the merchant data key
//            └─ each personal field  customers.*_encrypted  AES-256-GCM, AAD = table|row id|column
//
// Why customer keys are wrapped by the merchant key rather than by the KEK: a KEK rotation (or a move to
// a KMS) re-wraps one row per merchant instead of one per customer, and reading a customer costs a
// local AES operation once the merchant key is cached, not a KMS call. A customer is crypto-shredded by
// deleting their one customer_data_keys row: their ciphertext stays (also in backups and replicas) but
// nothing can decrypt it any more. Destroying a merchant key would shred every customer of that merchant.
import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { isIPv6 } from "node:net";
import { assert } from "@/lib/api/errors";
import type { Db, Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { decryptAesGcm, encryptAesGcm, fieldContext, KEY_BYTES, toBytes } from "./aes-gcm";
import { getKeyProvider, setKeyProvider, type KeyProvider, type WrapContext } from "./key-provider";

export type MerchantKey = { merchantId: string; version: number; key: Buffer };

const CACHE_TTL_MS = 5 * 60_000;
const CACHE_ENTRIES_MAX = 1_000;
const cache = new Map<string, { key: MerchantKey; expiresAt: number }>();

function cacheGet(merchantId: string): MerchantKey | null {
  const hit = cache.get(merchantId);
  if (!hit) return null;
  if (hit.expiresAt < Date.now()) {
    cache.delete(merchantId);
    return null;
  }
  return hit.key;
}

function cachePut(key: MerchantKey): void {
  if (cache.size >= CACHE_ENTRIES_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key.merchantId, { key, expiresAt: Date.now() + CACHE_TTL_MS });
}

/** Forgets unwrapped merchant keys (after a provider change, in tests, on shutdown). */
export function clearDataKeyCache(): void {
  for (const entry of cache.values()) entry.key.key.fill(0);
  cache.clear();
}

/** Switches the key provider and drops cached keys unwrapped by the previous one. */
export function useKeyProvider(provider: KeyProvider | null): void {
  setKeyProvider(provider);
  clearDataKeyCache();
}

function merchantWrapContext(merchantId: string, keyVersion: number): WrapContext {
  return { purpose: "merchant_data_key", merchantId, keyVersion };
}

async function unwrapMerchantRow(row: { merchantId: string; version: number; wrappedKey: Uint8Array; kekVersion: number }): Promise<MerchantKey> {
  const key = await getKeyProvider().unwrap(
    { wrappedKey: Buffer.from(row.wrappedKey), kekVersion: row.kekVersion },
    merchantWrapContext(row.merchantId, row.version),
  );
  assert(key.length === KEY_BYTES, "an unwrapped merchant data key is 32 bytes");
  return { merchantId: row.merchantId, version: row.version, key };
}

const MERCHANT_KEY_SELECT = { merchantId: true, version: true, wrappedKey: true, kekVersion: true } as const;

/**
 * The merchant's current data key, or null when the merchant has never stored personal data. Only keys
 * read outside a transaction are cached: a key inserted by a transaction that then rolls back must never
 * outlive it, or customer keys would be wrapped under a key that does not exist.
 */
export async function findMerchantDataKey(merchantId: string, client: Tx | Db = db()): Promise<MerchantKey | null> {
  const cached = cacheGet(merchantId);
  if (cached) return cached;
  const row = await client.merchantDataKey.findFirst({ where: { merchantId }, orderBy: { version: "desc" }, select: MERCHANT_KEY_SELECT });
  if (!row) return null;
  const key = await unwrapMerchantRow(row);
  if (client === db()) cachePut(key);
  return key;
}

/** The merchant's data key, created (and wrapped by the KEK) on first use. Safe under concurrency. */
export async function getOrCreateMerchantDataKey(tx: Tx, merchantId: string): Promise<MerchantKey> {
  const existing = await findMerchantDataKey(merchantId);
  if (existing) return existing;
  const key = randomBytes(KEY_BYTES);
  const provider = getKeyProvider();
  const wrapped = await provider.wrap(key, merchantWrapContext(merchantId, 1));
  // A concurrent first customer may insert first: ON CONFLICT keeps theirs and we read it back.
  await tx.$executeRaw`
    insert into merchant_data_keys (merchant_id, version, wrapped_key, key_provider, kek_version)
    values (${merchantId}, 1, ${wrapped.wrappedKey}, ${provider.name}, ${wrapped.kekVersion})
    on conflict (merchant_id, version) do nothing`;
  const row = await tx.merchantDataKey.findFirstOrThrow({ where: { merchantId }, orderBy: { version: "desc" }, select: MERCHANT_KEY_SELECT });
  return unwrapMerchantRow(row);
}

function customerKeyContext(customerId: string): string {
  return fieldContext("customer_data_keys", customerId, "wrapped_key");
}

/** A fresh random data key (for a new customer); store it with storeCustomerDataKey. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Stores a customer's data key wrapped by the merchant key (after the customer row exists). */
export async function storeCustomerDataKey(tx: Tx, merchantKey: MerchantKey, customerId: string, key: Buffer): Promise<void> {
  assert(key.length === KEY_BYTES, "a customer data key is 32 bytes");
  await tx.customerDataKey.create({
    data: {
      customerId,
      merchantId: merchantKey.merchantId,
      merchantKeyVersion: merchantKey.version,
      wrappedKey: toBytes(encryptAesGcm(merchantKey.key, key, customerKeyContext(customerId))),
    },
    select: { customerId: true },
  });
}

/** The customer's data key, or null once they have been crypto-shredded. */
export async function findCustomerDataKey(merchantId: string, customerId: string, client: Tx | Db = db()): Promise<Buffer | null> {
  const row = await client.customerDataKey.findFirst({
    where: { customerId, merchantId },
    select: { wrappedKey: true, merchantKeyVersion: true },
  });
  if (!row) return null;
  const merchantKey = await findMerchantDataKey(merchantId, client);
  assert(merchantKey && merchantKey.version === row.merchantKeyVersion, "a customer key's merchant key exists");
  return decryptAesGcm(merchantKey.key, row.wrappedKey, customerKeyContext(customerId));
}

/** Crypto-shreds a customer: deletes their data key. Returns whether a key was deleted. */
export async function destroyCustomerDataKey(tx: Tx, merchantId: string, customerId: string): Promise<boolean> {
  const { count } = await tx.customerDataKey.deleteMany({ where: { customerId, merchantId } });
  return count === 1;
}

/**
 * The blind-index key for a merchant, derived from the merchant data key (and so protected by the KEK).
 * Not derived from the KEK directly: a KEK rotation would then change every index value, and a KMS never
 * reveals its KEK. Per-merchant keys also mean one email gives unrelated index values at two merchants.
 */
function blindIndexKey(merchantKey: MerchantKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", merchantKey.key, Buffer.from("settle-blind-index-v1"), Buffer.from(purpose), KEY_BYTES));
}

export function normaliseEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

/**
 * Keyed pseudonym of an already normalised value: HMAC-SHA256 under the merchant's blind-index key for
 * `purpose` (one purpose per table and column, so values of one column cannot be joined with another's).
 * Equal inputs give equal values; without the merchant key nothing can be learned or re-computed.
 */
export function keyedPseudonym(merchantKey: MerchantKey, purpose: string, normalisedValue: string): Buffer {
  return createHmac("sha256", blindIndexKey(merchantKey, purpose)).update(normalisedValue).digest();
}

/** HMAC-SHA256 of the normalised email: equal emails give equal values, nothing else can be learned. */
export function emailBlindIndex(merchantKey: MerchantKey, email: string): Buffer {
  return keyedPseudonym(merchantKey, "customers.email", normaliseEmail(email));
}

/** One spelling per address: trimmed, IPv4-mapped IPv6 as IPv4, IPv6 lower case and compressed. */
export function normaliseIpAddress(ipAddress: string): string {
  const trimmed = ipAddress.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (mapped) return mapped[1]!;
  if (!isIPv6(trimmed)) return trimmed;
  return new URL(`http://[${trimmed}]/`).hostname.slice(1, -1);
}
