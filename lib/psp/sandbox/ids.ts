// Stripe-shaped identifiers: prefix + random base62.
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
let pool = randomBytes(4096);
let poolOffset = 0;

export function randomBase62(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) {
    if (poolOffset >= pool.length) {
      pool = randomBytes(4096);
      poolOffset = 0;
    }
    out += ALPHABET[pool[poolOffset++] % 62];
  }
  return out;
}

export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(24)}`;
}

export function newRequestId(): string {
  return `req_${randomBase62(14)}`;
}
