// The chart of accounts every merchant gets per currency, and the rules that tie type to normal side.
// The postings each payment event makes with these accounts are described in ./README.md.

export const ACCOUNT_TYPES = ["asset", "liability", "revenue", "expense", "equity"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const SIDES = ["debit", "credit"] as const;
export type Side = (typeof SIDES)[number];

export const ACCOUNT_STATUSES = ["open", "frozen", "closed"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Assets and expenses grow with debits; liabilities, revenue and equity with credits. */
export function normalSideOf(type: AccountType): Side {
  return type === "asset" || type === "expense" ? "debit" : "credit";
}

export type ChartAccount = { code: ChartCode; type: AccountType; name: string; floorMinor: bigint | null };

export const CHART_OF_ACCOUNTS = [
  { code: "merchant_available", type: "liability", name: "Merchant balance available for payout", floorMinor: 0n },
  { code: "merchant_pending", type: "liability", name: "Merchant balance pending settlement", floorMinor: null },
  { code: "psp_receivable", type: "asset", name: "Receivable from the PSP (captured, not yet settled)", floorMinor: null },
  { code: "bank_cash", type: "asset", name: "Cash at the settlement bank", floorMinor: null },
  { code: "psp_fees", type: "expense", name: "PSP processing and dispute fees", floorMinor: null },
  { code: "platform_fees", type: "revenue", name: "Platform fees earned", floorMinor: null },
  { code: "chargeback_losses", type: "expense", name: "Chargebacks lost", floorMinor: null },
  { code: "fx_position", type: "equity", name: "FX position (cross-currency conversions)", floorMinor: null },
  { code: "suspense", type: "asset", name: "Suspense (unmatched money under investigation)", floorMinor: null },
] as const satisfies readonly { code: string; type: AccountType; name: string; floorMinor: bigint | null }[];

export type ChartCode = (typeof CHART_OF_ACCOUNTS)[number]["code"];
export const CHART_CODES: readonly ChartCode[] = CHART_OF_ACCOUNTS.map((account) => account.code);

/** Purposes of accounts created through the API (they have no chart code). */
export const API_ACCOUNT_PURPOSES = ["customer_wallet", "merchant_balance"] as const;
export type ApiAccountPurpose = (typeof API_ACCOUNT_PURPOSES)[number];
