// KEK rotation against a real database: every merchant key re-wrapped under the new version, customers
// readable before, during and after, and the old KEK no longer needed afterwards.
import { randomBytes } from "node:crypto";
import { afterEach, expect, test } from "vitest";
import { POST as createRoute } from "@/app/api/v1/customers/route";
import { findCustomerByEmail, getCustomerOrThrow } from "@/lib/customers/get-customer";
import { db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { apiRequest, makeMerchant } from "@/tests/fixtures";
import { useKeyProvider } from "./key-hierarchy";
import { KeyProviderError, LocalKeyProvider } from "./key-provider";
import { rotateKek } from "./rotate-kek";

afterEach(() => useKeyProvider(null));

test("rotateKek re-wraps merchant keys under the new KEK version without interrupting reads", async () => {
  const kekV1 = Buffer.from(getEnv().ENCRYPTION_KEK!, "base64");
  const kekV2 = randomBytes(32);
  const merchants = await Promise.all([makeMerchant("R1"), makeMerchant("R2"), makeMerchant("R3")]);
  const customers: { merchantId: string; id: string; email: string }[] = [];
  for (const [i, { merchantId, secret }] of merchants.entries()) {
    for (let j = 0; j < 3; j++) {
      const email = `r${i}-${j}@example.com`;
      const response = await createRoute(apiRequest("/api/v1/customers", { secret, body: { email, name: `R ${i} ${j}` }, idempotencyKey: `k-${i}-${j}` }));
      customers.push({ merchantId, id: (await response.json()).id, email });
    }
  }
  expect(await db().merchantDataKey.count({ where: { kekVersion: 1 } })).toBe(3);
  const before = await db().merchantDataKey.findMany({ orderBy: { merchantId: "asc" } });

  // Step 1 of the procedure: the new KEK is current, the old one retired but still configured.
  useKeyProvider(new LocalKeyProvider({ version: 2, kek: kekV2 }, [{ version: 1, kek: kekV1 }]));
  let reading = true;
  let readsDuringRotation = 0;
  const reader = (async () => {
    while (reading) {
      for (const c of customers) expect((await getCustomerOrThrow(c.merchantId, c.id)).email).toBe(c.email);
      readsDuringRotation++;
    }
  })();
  const result = await rotateKek({ batchSize: 2 });
  reading = false;
  await reader;
  expect(readsDuringRotation).toBeGreaterThan(0);
  expect(result).toEqual({ kekVersion: 2, rewrapped: 3, remaining: 0 });

  const after = await db().merchantDataKey.findMany({ orderBy: { merchantId: "asc" } });
  for (const [i, row] of after.entries()) {
    expect(row.kekVersion).toBe(2);
    expect(row.rewrappedAt).not.toBeNull();
    expect(Buffer.from(row.wrappedKey).equals(Buffer.from(before[i]!.wrappedKey))).toBe(false);
  }
  expect((await rotateKek()).rewrapped).toBe(0);

  // Step 3: the old KEK is dropped; everything still reads, and the blind index still finds customers.
  useKeyProvider(new LocalKeyProvider({ version: 2, kek: kekV2 }));
  for (const c of customers) {
    expect((await getCustomerOrThrow(c.merchantId, c.id)).email).toBe(c.email);
    expect((await findCustomerByEmail(c.merchantId, c.email))!.id).toBe(c.id);
  }
  // And a process that only has the old KEK can no longer read anything.
  useKeyProvider(new LocalKeyProvider({ version: 1, kek: kekV1 }));
  await expect(getCustomerOrThrow(customers[0]!.merchantId, customers[0]!.id)).rejects.toThrow(KeyProviderError);
});
