// Object ids: a type prefix plus a time-ordered random part, so ids sort by creation (keyset pagination)
// and cannot be guessed. 48 bits of milliseconds + 80 random bits, Crockford base32 (like ULID).
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export const ID_PREFIXES = {
  merchant: "mer",
  user: "usr",
  apiKey: "key",
  audit: "aud",
  account: "acct",
  transaction: "txn",
  entry: "ent",
  deferredPosting: "dpo",
  transfer: "trf",
  payment: "pay",
  refund: "re",
  dispute: "dp",
  file: "file",
  event: "evt",
  webhookEndpoint: "we",
  webhookDelivery: "whd",
  email: "eml",
  checkoutSession: "cs",
  receipt: "rcpt",
  reconciliationRun: "recon",
  discrepancy: "disc",
  customer: "cus",
  request: "req",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

function encodeBase32(value: bigint, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  const time = encodeBase32(BigInt(now), 10);
  const random = encodeBase32(BigInt("0x" + randomBytes(10).toString("hex")), 16);
  return `${ID_PREFIXES[kind]}_${time}${random}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}
