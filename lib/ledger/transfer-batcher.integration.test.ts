// Group-committed transfers: decided in queue order against running balances, refusals isolated,
// and the same bank invariants as unbatched transfers under concurrency.
import { expect, test } from "vitest";
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { runBalanceCheck } from "./run-balance-check";
import { createTransferBatcher } from "./transfer-batcher";
import { createFundedWallet, createTestMerchant, findBalanceDisagreements } from "./testing";

const balances = async (ids: string[]) => {
  const { rows } = await sqlPool().query<{ id: string; balance_minor: bigint }>(`SELECT id, balance_minor FROM ledger_accounts WHERE id = ANY($1)`, [ids]);
  return ids.map((id) => rows.find((row) => row.id === id)!.balance_minor);
};

test("one batch decides its transfers in order and refuses only the ones that do not fit", async () => {
  const merchantId = await createTestMerchant();
  const [a, b, c] = [await createFundedWallet(merchantId, "USD", 100n), await createFundedWallet(merchantId, "USD", 0n), await createFundedWallet(merchantId, "USD", 0n)];
  const batcher = createTransferBatcher({ flushersMax: 1, batchSizeMax: 64 });
  const move = (fromAccountId: string, toAccountId: string, amountMinor: bigint) =>
    batcher.submit({ merchantId, fromAccountId, toAccountId, amountMinor, currency: "USD" }).then(
      (transfer) => transfer.id,
      (error: AppError) => error.code,
    );
  const results = await Promise.all([move(a, b, 100n), move(a, c, 1n), move(b, c, 50n), move(c, c, 1n), move(c, a, 0n), move(c, b, 50n)]);
  expect(results[0]).toMatch(/^trf_/);
  expect(results.slice(1)).toEqual(["insufficient_funds", expect.stringMatching(/^trf_/), "parameter_invalid", "parameter_invalid", expect.stringMatching(/^trf_/)]);
  expect(await balances([a, b, c])).toEqual([0n, 100n, 0n]);
  expect(await findBalanceDisagreements(merchantId)).toEqual([]);
});

test("16 concurrent callers through the batcher: conserved, floored, each acknowledged transfer once", { timeout: 60_000 }, async () => {
  const merchantId = await createTestMerchant();
  const accounts: string[] = [];
  for (let i = 0; i < 5; i++) accounts.push(await createFundedWallet(merchantId, "USD", 1_000n));
  const batcher = createTransferBatcher();
  const acknowledged: string[] = [];
  const deadline = Date.now() + 3_000;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (Date.now() < deadline) {
        const from = accounts[Math.floor(Math.random() * 5)]!;
        const to = accounts[(accounts.indexOf(from) + 1 + Math.floor(Math.random() * 4)) % 5]!;
        try {
          acknowledged.push((await batcher.submit({ merchantId, fromAccountId: from, toAccountId: to, amountMinor: BigInt(1 + Math.floor(Math.random() * 400)), currency: "USD" })).id);
        } catch (error) {
          expect((error as AppError).code).toBe("insufficient_funds");
        }
      }
    }),
  );
  const now = await balances(accounts);
  expect(now.reduce((sum, balance) => sum + balance, 0n)).toBe(5_000n);
  expect(now.every((balance) => balance >= 0n)).toBe(true);
  const { rows } = await sqlPool().query<{ id: string }>(`SELECT id FROM transfers WHERE merchant_id = $1`, [merchantId]);
  expect(rows.map((row) => row.id).sort()).toEqual([...acknowledged].sort());
  expect(await findBalanceDisagreements(merchantId)).toEqual([]);
  expect((await runBalanceCheck({ sinceSeq: 0n })).mismatches).toEqual([]);
});

test("callers arriving together share the flushers: two batches side by side, not one transfer then the rest", async () => {
  const merchantId = await createTestMerchant();
  const source = await createFundedWallet(merchantId, "USD", 1_000n);
  const sink = await createFundedWallet(merchantId, "USD", 0n);
  const pool = sqlPool();
  const batchSizes: number[] = [];
  // The batcher's only statement is ledger_post_transfers with the batch as its one jsonb parameter.
  const counting = new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== "query") return Reflect.get(target, property, receiver);
      return (config: { values?: unknown[] }, ...rest: unknown[]) => {
        const items = config?.values?.[0];
        if (typeof items === "string" && items.startsWith("[")) batchSizes.push((JSON.parse(items) as unknown[]).length);
        return (target.query as (...args: unknown[]) => unknown).call(target, config, ...rest);
      };
    },
  });
  const batcher = createTransferBatcher({ pool: counting, flushersMax: 2, batchSizeMax: 64 });
  const ids = await Promise.all(
    Array.from({ length: 16 }, () => batcher.submit({ merchantId, fromAccountId: source, toAccountId: sink, amountMinor: 1n, currency: "USD" })),
  );
  expect(new Set(ids.map((transfer) => transfer.id)).size).toBe(16);
  expect(batchSizes).toEqual([8, 8]);
  expect(await balances([source, sink])).toEqual([984n, 16n]);
  expect(await findBalanceDisagreements(merchantId)).toEqual([]);
});
