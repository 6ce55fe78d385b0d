// KEK rotation without downtime. Procedure for the local provider:
//   1. Deploy with the new key as ENCRYPTION_KEK, ENCRYPTION_KEK_VERSION bumped, and the old key in
//      ENCRYPTION_KEKS_RETIRED ("1:<base64>"): every instance can now unwrap both, and wraps with the new.
//   2. Run rotateKek() (npm run cli -- kek:rotate): re-wraps each merchant data key still under an older
//      version, one short transaction per batch; readers keep working throughout because every row is
//      always readable under one of the configured versions.
//   3. When it reports remaining = 0, drop the old key from ENCRYPTION_KEKS_RETIRED.
// Only merchant data keys are wrapped by the KEK; customer keys (wrapped by the merchant key) and the
// encrypted fields are untouched, so rotation cost is one row per merchant.
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { clearDataKeyCache } from "./key-hierarchy";
import { getKeyProvider } from "./key-provider";

export type RotateKekResult = { kekVersion: number; rewrapped: number; remaining: number };

export async function rotateKek(options: { batchSize?: number; batchesMax?: number } = {}): Promise<RotateKekResult> {
  const provider = getKeyProvider();
  const kekVersion = provider.currentKekVersion();
  const batchSize = Math.min(Math.max(options.batchSize ?? 100, 1), 1_000);
  const batchesMax = options.batchesMax ?? 10_000;
  let rewrapped = 0;
  for (let batch = 0; batch < batchesMax; batch++) {
    const done = await db().$transaction(async (tx) => {
      // SKIP LOCKED: two rotations (or a rotation and a key creation) never wait on each other.
      const rows = await tx.$queryRaw<{ merchant_id: string; version: number; wrapped_key: Uint8Array; kek_version: number }[]>`
        select merchant_id, version, wrapped_key, kek_version from merchant_data_keys
        where kek_version <> ${kekVersion} or key_provider <> ${provider.name}
        order by merchant_id, version limit ${batchSize} for update skip locked`;
      for (const row of rows) {
        const context = { purpose: "merchant_data_key" as const, merchantId: row.merchant_id, keyVersion: row.version };
        const key = await provider.unwrap({ wrappedKey: Buffer.from(row.wrapped_key), kekVersion: row.kek_version }, context);
        const wrapped = await provider.wrap(key, context);
        key.fill(0);
        await tx.$executeRaw`
          update merchant_data_keys set wrapped_key = ${wrapped.wrappedKey}, kek_version = ${wrapped.kekVersion},
            key_provider = ${provider.name}, rewrapped_at = now()
          where merchant_id = ${row.merchant_id} and version = ${row.version} and kek_version = ${row.kek_version}`;
      }
      return rows.length;
    });
    rewrapped += done;
    if (done < batchSize) break;
  }
  const remaining = await db().merchantDataKey.count({ where: { OR: [{ kekVersion: { not: kekVersion } }, { keyProvider: { not: provider.name } }] } });
  clearDataKeyCache();
  logger.info({ kekVersion, rewrapped, remaining }, "KEK rotation pass finished");
  return { kekVersion, rewrapped, remaining };
}
