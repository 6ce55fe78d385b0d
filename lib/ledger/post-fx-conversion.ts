// Moves value between two accounts in different currencies through the merchant's FX position
// accounts, at the rate in force (recorded on the journal transaction with its source and time).
// Each currency balances on its own: from → fx_position[from currency], fx_position[to currency] → to.
import { AppError } from "@/lib/api/errors";
import { getFxRate } from "@/lib/fx/get-fx-rate";
import { convert, type CurrencyCode } from "@/lib/money";
import { getAccountFacts } from "./account-facts";
import { ensureMerchantAccounts } from "./ensure-merchant-accounts";
import { type PostedTransaction } from "./post-transaction.types";
import { postTransaction } from "./post-transaction";
import type { SqlClient } from "./sql";

export type PostFxConversionInput = {
  merchantId: string;
  fromAccountId: string;
  toAccountId: string;
  /** In the from account's currency. */
  amountMinor: bigint;
  description: string;
  externalRef?: string;
  metadata?: Record<string, unknown>;
  /** The moment whose rate applies; now by default. */
  at?: Date;
  maxRateAgeMs?: number;
};

export type FxConversion = { transaction: PostedTransaction; rate: string; convertedMinor: bigint; fromCurrency: string; toCurrency: string };

export async function postFxConversion(tx: SqlClient, input: PostFxConversionInput): Promise<FxConversion> {
  if (input.amountMinor <= 0n) throw new AppError("parameter_invalid", "amount must be greater than zero", { param: "amount" });
  const facts = await getAccountFacts(tx, input.merchantId, [input.fromAccountId, input.toAccountId]);
  const from = facts.get(input.fromAccountId);
  const to = facts.get(input.toAccountId);
  if (!from) throw new AppError("resource_missing", `No such account: '${input.fromAccountId}'`, { param: "from_account" });
  if (!to) throw new AppError("resource_missing", `No such account: '${input.toAccountId}'`, { param: "to_account" });
  if (from.currency === to.currency) {
    throw new AppError("parameter_invalid", "Both accounts hold the same currency; use a transfer.", { param: "to_account" });
  }
  if (from.normalSide !== to.normalSide) {
    throw new AppError("parameter_invalid", "A conversion needs two accounts that grow on the same side.", { param: "to_account" });
  }
  const at = input.at ?? new Date();
  const fx = await getFxRate(from.currency, to.currency, at, { client: tx, maxAgeMs: input.maxRateAgeMs });
  const converted = convert({ amountMinor: input.amountMinor, currency: from.currency as CurrencyCode }, to.currency as CurrencyCode, fx.rate, "half_even");
  if (converted.amountMinor <= 0n) {
    throw new AppError("parameter_invalid", `${input.amountMinor} ${from.currency} minor units convert to nothing in ${to.currency}.`, { param: "amount" });
  }
  const [fromChart, toChart] = await Promise.all([
    ensureMerchantAccounts(tx, input.merchantId, from.currency),
    ensureMerchantAccounts(tx, input.merchantId, to.currency),
  ]);
  const leaving = from.normalSide === "credit" ? "debit" : "credit";
  const arriving = leaving === "debit" ? "credit" : "debit";
  // fx_position is credit-normal: it is credited with what came in and debited with what went out.
  const transaction = await postTransaction(tx, {
    merchantId: input.merchantId,
    description: input.description,
    externalRef: input.externalRef,
    metadata: input.metadata,
    fx: { base: from.currency, quote: to.currency, rate: fx.rate, source: fx.source, rateAt: fx.asOf },
    entries: [
      { accountId: from.id, direction: leaving, amountMinor: input.amountMinor, currency: from.currency },
      { accountId: fromChart.fx_position, direction: arriving, amountMinor: input.amountMinor, currency: from.currency },
      { accountId: toChart.fx_position, direction: leaving, amountMinor: converted.amountMinor, currency: to.currency },
      { accountId: to.id, direction: arriving, amountMinor: converted.amountMinor, currency: to.currency },
    ],
  });
  return { transaction, rate: fx.rate, convertedMinor: converted.amountMinor, fromCurrency: from.currency, toCurrency: to.currency };
}
