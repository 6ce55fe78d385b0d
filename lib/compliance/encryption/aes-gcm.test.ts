// AES-256-GCM field encryption: round trips, and refusal of a wrong key, context or tampered byte.
import fc from "fast-check";
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { DecryptionError, decryptAesGcm, encryptAesGcm, fieldContext } from "./aes-gcm";
import { KmsKeyProvider, LocalKeyProvider } from "./key-provider";

const key = randomBytes(32);
const context = fieldContext("customers", "cus_1", "email_encrypted");

describe("aes-gcm", () => {
  test("round-trips any text under its context, with a fresh nonce each time", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        const sealed = encryptAesGcm(key, Buffer.from(text), context);
        expect(decryptAesGcm(key, sealed, context).toString()).toBe(text);
      }),
    );
    const a = encryptAesGcm(key, Buffer.from("same"), context);
    const b = encryptAesGcm(key, Buffer.from("same"), context);
    expect(a.equals(b)).toBe(false);
  });

  test("any flipped byte, another key or another row/column context is refused", () => {
    const sealed = encryptAesGcm(key, Buffer.from("ada@example.com"), context);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: sealed.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, flip) => {
        const tampered = Buffer.from(sealed);
        tampered[index]! ^= flip;
        expect(() => decryptAesGcm(key, tampered, context)).toThrow(DecryptionError);
      }),
    );
    expect(() => decryptAesGcm(randomBytes(32), sealed, context)).toThrow(DecryptionError);
    expect(() => decryptAesGcm(key, sealed, fieldContext("customers", "cus_2", "email_encrypted"))).toThrow(DecryptionError);
    expect(() => decryptAesGcm(key, sealed, fieldContext("customers", "cus_1", "name_encrypted"))).toThrow(DecryptionError);
    expect(() => decryptAesGcm(key, sealed.subarray(0, 10), context)).toThrow(DecryptionError);
  });
});

describe("key providers", () => {
  test("the local provider unwraps under the stored version and binds the context", async () => {
    const v1 = randomBytes(32);
    const v2 = randomBytes(32);
    const dataKey = randomBytes(32);
    const ctx = { purpose: "merchant_data_key" as const, merchantId: "mer_1", keyVersion: 1 };
    const old = new LocalKeyProvider({ version: 1, kek: v1 });
    const wrapped = await old.wrap(dataKey, ctx);
    expect(wrapped.kekVersion).toBe(1);
    const rotated = new LocalKeyProvider({ version: 2, kek: v2 }, [{ version: 1, kek: v1 }]);
    expect((await rotated.unwrap(wrapped, ctx)).equals(dataKey)).toBe(true);
    expect((await rotated.wrap(dataKey, ctx)).kekVersion).toBe(2);
    await expect(new LocalKeyProvider({ version: 2, kek: v2 }).unwrap(wrapped, ctx)).rejects.toThrow(/KEK version 1 is not configured/);
    await expect(old.unwrap(wrapped, { ...ctx, merchantId: "mer_2" })).rejects.toThrow(DecryptionError);
    expect(() => new LocalKeyProvider({ version: 1, kek: randomBytes(16) })).toThrow(/32 bytes/);
  });

  test("the KMS provider says it is not configured", async () => {
    const kms = new KmsKeyProvider({ keyId: "alias/settle" });
    await expect(kms.wrap()).rejects.toThrow(/not configured/);
    await expect(kms.unwrap()).rejects.toThrow(/not configured/);
  });
});
