// Property: any sequence of postings, transfers, freezes and reversals leaves every transaction
// balanced, every cached balance equal to the sum of its entries, and wallets where a simple model says.
import fc from "fast-check";
import { expect, test } from "vitest";
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { createAccount } from "./create-account";
import { createTransferNow } from "./create-transfer";
import { ensureMerchantAccounts } from "./ensure-merchant-accounts";
import { postTransactionNow } from "./post-transaction";
import { reverseTransaction } from "./reverse-transaction";
import { runBalanceCheck } from "./run-balance-check";
import { setAccountStatus } from "./set-account-status";
import { createTestMerchant, findBalanceDisagreements, findUnbalancedTransactions } from "./testing";

const WALLETS = 3;
const amount = fc.bigInt({ min: 1n, max: 5_000n });
const wallet = fc.nat({ max: WALLETS - 1 });

const operation = fc.oneof(
  fc.record({ kind: fc.constant("deposit" as const), to: wallet, amount }),
  fc.record({ kind: fc.constant("transfer" as const), from: wallet, to: wallet, amount }),
  fc.record({ kind: fc.constant("capture" as const), gross: fc.bigInt({ min: 100n, max: 100_000n }), feeBasisPoints: fc.nat({ max: 500 }) }),
  fc.record({ kind: fc.constant("freeze" as const), account: wallet, frozen: fc.boolean() }),
  fc.record({ kind: fc.constant("reverse" as const), pick: fc.nat() }),
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

test("random ledger activity keeps the books balanced and the cache true", { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (operations: Operation[]) => {
      const merchantId = await createTestMerchant();
      const chart = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
      const wallets: string[] = [];
      for (let i = 0; i < WALLETS; i++) wallets.push((await createAccount(sqlPool(), { merchantId, currency: "USD" })).id);
      const balances = wallets.map(() => 0n);
      const frozen = wallets.map(() => false);
      const transfers: { transactionId: string; from: number; to: number; amount: bigint; reversed: boolean }[] = [];

      for (const op of operations) {
        if (op.kind === "deposit") {
          const ok = !frozen[op.to];
          const result = await postTransactionNow({
            merchantId,
            description: "deposit",
            entries: [
              { accountId: chart.bank_cash, direction: "debit", amountMinor: op.amount, currency: "USD" },
              { accountId: wallets[op.to]!, direction: "credit", amountMinor: op.amount, currency: "USD" },
            ],
          }).then(
            () => "ok",
            (error: AppError) => error.code,
          );
          expect(result).toBe(ok ? "ok" : "account_inactive");
          if (ok) balances[op.to]! += op.amount;
        } else if (op.kind === "transfer") {
          const expected =
            op.from === op.to ? "parameter_invalid" : frozen[op.from] || frozen[op.to] ? "account_inactive" : balances[op.from]! < op.amount ? "insufficient_funds" : "ok";
          const result = await createTransferNow({ merchantId, fromAccountId: wallets[op.from]!, toAccountId: wallets[op.to]!, amountMinor: op.amount, currency: "USD" }).then(
            (transfer) => {
              transfers.push({ transactionId: transfer.transactionId, from: op.from, to: op.to, amount: op.amount, reversed: false });
              return "ok";
            },
            (error: AppError) => error.code,
          );
          expect(result).toBe(expected);
          if (expected === "ok") {
            balances[op.from]! -= op.amount;
            balances[op.to]! += op.amount;
          }
        } else if (op.kind === "capture") {
          const fee = (op.gross * BigInt(op.feeBasisPoints)) / 10_000n;
          const entries = [
            { accountId: chart.psp_receivable, direction: "debit" as const, amountMinor: op.gross - fee, currency: "USD" },
            ...(fee > 0n ? [{ accountId: chart.psp_fees, direction: "debit" as const, amountMinor: fee, currency: "USD" }] : []),
            { accountId: chart.merchant_pending, direction: "credit" as const, amountMinor: op.gross, currency: "USD" },
          ];
          await postTransactionNow({ merchantId, description: "capture", entries });
        } else if (op.kind === "freeze") {
          await setAccountStatus(sqlPool(), { merchantId, accountId: wallets[op.account]!, status: op.frozen ? "frozen" : "open" });
          frozen[op.account] = op.frozen;
        } else if (transfers.length > 0) {
          const target = transfers[op.pick % transfers.length]!;
          const expected = target.reversed
            ? "invalid_state_transition"
            : frozen[target.from] || frozen[target.to]
              ? "account_inactive"
              : balances[target.to]! < target.amount
                ? "insufficient_funds"
                : "ok";
          const result = await reverseTransaction(sqlPool(), { merchantId, transactionId: target.transactionId }).then(
            () => "ok",
            (error: AppError) => error.code,
          );
          expect(result).toBe(expected);
          if (expected === "ok") {
            target.reversed = true;
            balances[target.from]! += target.amount;
            balances[target.to]! -= target.amount;
          }
        }
      }

      const { rows } = await sqlPool().query<{ id: string; balance_minor: bigint }>(`SELECT id, balance_minor FROM ledger_accounts WHERE id = ANY($1)`, [
        wallets,
      ]);
      const actual = wallets.map((id) => rows.find((row) => row.id === id)!.balance_minor);
      expect(actual).toEqual(balances);
      expect(actual.every((balance) => balance >= 0n)).toBe(true);
      expect(await findBalanceDisagreements(merchantId)).toEqual([]);
    }),
    { numRuns: 100 },
  );
  expect(await findUnbalancedTransactions()).toEqual([]);
  expect((await runBalanceCheck({ sinceSeq: 0n })).mismatches).toEqual([]);
});
