// AES-256-GCM with associated data, in one self-describing byte format:
//   [format version 0x01][12-byte random nonce][ciphertext][16-byte tag]
// The associated data is not stored: the reader must supply the same context (table, row, column), so a
// ciphertext copied into another row or column fails to decrypt instead of showing someone else's data.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { assert } from "@/lib/api/errors";

const FORMAT_VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export class DecryptionError extends Error {
  constructor(message = "Decryption failed: wrong key, wrong context or tampered ciphertext.") {
    super(message);
    this.name = "DecryptionError";
  }
}

export function encryptAesGcm(key: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  assert(key.length === KEY_BYTES, "AES-256-GCM needs a 32-byte key");
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_VERSION]), nonce, body, cipher.getAuthTag()]);
}

export function decryptAesGcm(key: Buffer, sealed: Uint8Array, associatedData: string): Buffer {
  assert(key.length === KEY_BYTES, "AES-256-GCM needs a 32-byte key");
  const bytes = Buffer.from(sealed);
  if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== FORMAT_VERSION) throw new DecryptionError("Unknown ciphertext format.");
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/** The associated data of an encrypted column value: binds it to its table, row id and column. */
export function fieldContext(table: string, rowId: string, column: string): string {
  assert(!/[|]/.test(table + rowId + column), "context parts must not contain '|'");
  return `settle:v1|${table}|${rowId}|${column}`;
}

/** A copy typed as Prisma's `Bytes` input (Uint8Array over a plain ArrayBuffer). */
export function toBytes(buffer: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buffer);
}
