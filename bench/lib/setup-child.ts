// Data setup for the bench and chaos harnesses, run as a child process with the stack's DATABASE_URL
// (the app's modules read their configuration once per process). Usage: setup-child.ts '<json>' <out.json>
import { writeFileSync } from "node:fs";

type Command = {
  seed?: boolean;
  merchant?: { name: string };
  apiKey?: { merchantId: string };
  wallets?: { merchantId: string; count: number; fundMinor: string; currency: string };
  /** Runs the worker's recovery jobs now, for everything regardless of age (the chaos quiet period). */
  recover?: boolean;
};

const command = JSON.parse(process.argv[2] ?? "{}") as Command;
const out = process.argv[3]!;
const system = { type: "system", id: "bench" } as const;
const result: Record<string, unknown> = {};

await import("@/lib/jobs/all-seeders");
const { seedDemo } = await import("@/lib/tenancy/seed-demo");
const { createMerchant } = await import("@/lib/tenancy/manage-tenancy");
const { createApiKey } = await import("@/lib/auth/api-keys");
const { sqlPool, closeDb } = await import("@/lib/db/client");
const { createAccount, ensureMerchantAccounts, postTransactionNow } = await import("@/lib/ledger");

const demoMerchantId = (await seedDemo()).merchantId; // idempotent: seeds once
if (command.seed) result.demoMerchantId = demoMerchantId;
let merchantId = command.apiKey?.merchantId ?? command.wallets?.merchantId;
if (merchantId === "demo") merchantId = demoMerchantId;
result.merchantId = merchantId;
if (command.merchant) {
  merchantId = (await createMerchant({ name: command.merchant.name, actor: system })).id;
  result.merchantId = merchantId;
}
if (command.apiKey || command.merchant) {
  result.secret = (await createApiKey({ merchantId: merchantId!, name: "bench key", kind: "secret", actor: system })).secret;
}
if (command.wallets) {
  const { count, currency } = command.wallets;
  const fundMinor = BigInt(command.wallets.fundMinor);
  const chart = await ensureMerchantAccounts(sqlPool(), merchantId!, currency);
  const wallets: string[] = [];
  for (let i = 0; i < count; i++) {
    const wallet = await createAccount(sqlPool(), { merchantId: merchantId!, currency, purpose: "customer_wallet", name: `Bench wallet ${i}` });
    if (fundMinor > 0n) {
      await postTransactionNow({
        merchantId: merchantId!,
        description: "bench funding",
        entries: [
          { accountId: chart.bank_cash, direction: "debit", amountMinor: fundMinor, currency },
          { accountId: wallet.id, direction: "credit", amountMinor: fundMinor, currency },
        ],
      });
    }
    wallets.push(wallet.id);
  }
  result.wallets = wallets;
}
if (command.recover) {
  const { processPspEvents } = await import("@/lib/webhooks/psp/process-psp-events");
  const { recoverStuckPayments } = await import("@/lib/payments/recover-payments");
  const { recoverStuckRefunds } = await import("@/lib/refunds/recover-refunds");
  result.events = await processPspEvents();
  result.payments = await recoverStuckPayments({ olderThanMs: 0 });
  result.refunds = await recoverStuckRefunds({ olderThanMs: 0 });
}
await closeDb();
writeFileSync(out, JSON.stringify(result));
process.exit(0);
