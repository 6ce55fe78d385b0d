// Key-encryption keys (KEKs) live behind a KeyProvider: it wraps and unwraps data keys and never hands
// out the KEK itself. Each wrapped key is stored with the KEK version that wrapped it, so a rotation can
// re-wrap keys one by one while reads keep working (see rotate-kek.ts).
import { getEnv } from "@/lib/env";
import { decryptAesGcm, encryptAesGcm, KEY_BYTES } from "./aes-gcm";

/** Bound to a wrapped key as associated data (local) or encryption context (KMS). */
export type WrapContext = { purpose: "merchant_data_key"; merchantId: string; keyVersion: number };

export type WrappedKey = { wrappedKey: Buffer; kekVersion: number };

export interface KeyProvider {
  /** Stored beside each wrapped key, so a key is unwrapped by the provider that wrapped it. */
  readonly name: "local" | "kms";
  /** The KEK version new wraps use. */
  currentKekVersion(): number;
  wrap(dataKey: Buffer, context: WrapContext): Promise<WrappedKey>;
  unwrap(wrapped: WrappedKey, context: WrapContext): Promise<Buffer>;
}

export class KeyProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KeyProviderError";
  }
}

function wrapContext(context: WrapContext, kekVersion: number): string {
  return `settle:kek-wrap:v1|${context.purpose}|${context.merchantId}|${context.keyVersion}|kek:${kekVersion}`;
}

/** KEKs held in this process's configuration: ENCRYPTION_KEK (current) and ENCRYPTION_KEKS_RETIRED. */
export class LocalKeyProvider implements KeyProvider {
  readonly name = "local" as const;
  private readonly keks: Map<number, Buffer>;

  constructor(private readonly current: { version: number; kek: Buffer }, retired: { version: number; kek: Buffer }[] = []) {
    for (const { version, kek } of [current, ...retired]) {
      if (kek.length !== KEY_BYTES) throw new KeyProviderError(`KEK version ${version} must be 32 bytes.`);
    }
    this.keks = new Map(retired.map(({ version, kek }) => [version, kek]));
    this.keks.set(current.version, current.kek);
  }

  static fromEnv(): LocalKeyProvider {
    const env = getEnv();
    if (!env.ENCRYPTION_KEK) throw new KeyProviderError("ENCRYPTION_KEK is not set: personal data cannot be encrypted or read.");
    const retired = (env.ENCRYPTION_KEKS_RETIRED ?? "")
      .split(",")
      .filter(Boolean)
      .map((pair) => {
        const [version, base64] = pair.split(":");
        return { version: Number(version), kek: Buffer.from(base64!, "base64") };
      });
    return new LocalKeyProvider({ version: env.ENCRYPTION_KEK_VERSION, kek: Buffer.from(env.ENCRYPTION_KEK, "base64") }, retired);
  }

  currentKekVersion(): number {
    return this.current.version;
  }

  async wrap(dataKey: Buffer, context: WrapContext): Promise<WrappedKey> {
    const kekVersion = this.current.version;
    return { wrappedKey: encryptAesGcm(this.current.kek, dataKey, wrapContext(context, kekVersion)), kekVersion };
  }

  async unwrap(wrapped: WrappedKey, context: WrapContext): Promise<Buffer> {
    const kek = this.keks.get(wrapped.kekVersion);
    if (!kek) {
      throw new KeyProviderError(`KEK version ${wrapped.kekVersion} is not configured: add it to ENCRYPTION_KEKS_RETIRED until rotateKek has re-wrapped every key.`);
    }
    return decryptAesGcm(kek, wrapped.wrappedKey, wrapContext(context, wrapped.kekVersion));
  }
}

/**
 * The shape of a cloud KMS provider (AWS KMS, GCP Cloud KMS, Vault Transit). Not wired to an SDK in this
 * build; every call throws "not configured". How it would work:
 * - wrap: `Encrypt({ KeyId: keyId, Plaintext: dataKey, EncryptionContext: context })` (or GenerateDataKey
 *   when creating keys), returning the ciphertext blob. The KEK never leaves the KMS.
 * - unwrap: `Decrypt({ CiphertextBlob, EncryptionContext: context })`; the KMS checks the context, the
 *   IAM policy and writes its own audit trail (CloudTrail) for every unwrap.
 * - versions: KMS rotates key material internally and records it in the blob; `kekVersion` here is the
 *   operator's logical version (a new KeyId alias), bumped when moving to a new KMS key, and rotateKek
 *   re-wraps exactly as with the local provider.
 * Unwrapped merchant keys are cached in memory for a few minutes (key-hierarchy.ts), so the KMS sees
 * one call per merchant per cache period rather than per request.
 */
export class KmsKeyProvider implements KeyProvider {
  readonly name = "kms" as const;
  constructor(private readonly options: { keyId?: string; version?: number } = {}) {}

  currentKekVersion(): number {
    return this.options.version ?? 1;
  }

  async wrap(): Promise<WrappedKey> {
    throw new KeyProviderError("The KMS key provider is not configured in this build; use ENCRYPTION_KEY_PROVIDER=local.");
  }

  async unwrap(): Promise<Buffer> {
    throw new KeyProviderError("The KMS key provider is not configured in this build; use ENCRYPTION_KEY_PROVIDER=local.");
  }
}

let configured: KeyProvider | null = null;

/** The provider the application uses, from ENCRYPTION_KEY_PROVIDER unless one was set explicitly. */
export function getKeyProvider(): KeyProvider {
  configured ??= getEnv().ENCRYPTION_KEY_PROVIDER === "kms" ? new KmsKeyProvider() : LocalKeyProvider.fromEnv();
  return configured;
}

/** Sets the provider explicitly (operator tools, rotation tests); `null` goes back to the environment. */
export function setKeyProvider(provider: KeyProvider | null): void {
  configured = provider;
}
