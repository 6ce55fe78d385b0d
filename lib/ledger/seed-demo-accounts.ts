// Demo ledger data for npm start: the demo merchant's chart of accounts in USD and EUR, and two
// customer wallets funded by a first transfer from the merchant's balance, so Balances has something
// to show. Idempotent: wallets are found by name before being created.
import { db, sqlPool } from "@/lib/db/client";
import { registerDemoSeeder } from "@/lib/tenancy/seed-demo";
import { createAccount } from "./create-account";
import { createTransferNow } from "./create-transfer";
import { ensureMerchantAccounts } from "./ensure-merchant-accounts";
import { postTransactionNow } from "./post-transaction";

registerDemoSeeder(async (merchantId) => {
  const usd = await ensureMerchantAccounts(sqlPool(), merchantId, "USD");
  await ensureMerchantAccounts(sqlPool(), merchantId, "EUR");
  const existing = await db().ledgerAccount.count({ where: { merchantId, name: { startsWith: "Demo wallet" } } });
  if (existing > 0) return;
  // Opening balance: the merchant has 5,000.00 USD available, backed by cash at the bank.
  await postTransactionNow({
    merchantId,
    description: "Demo opening balance",
    externalRef: "demo:opening-balance:USD",
    entries: [
      { accountId: usd.bank_cash, direction: "debit", amountMinor: 500_000n, currency: "USD" },
      { accountId: usd.merchant_available, direction: "credit", amountMinor: 500_000n, currency: "USD" },
    ],
  });
  const [ada] = await Promise.all(
    ["Demo wallet — Ada", "Demo wallet — Linus"].map((name) => createAccount(sqlPool(), { merchantId, currency: "USD", purpose: "customer_wallet", name })),
  );
  await createTransferNow({ merchantId, fromAccountId: usd.merchant_available, toAccountId: ada!.id, amountMinor: 25_000n, currency: "USD", description: "Demo top-up" });
});
