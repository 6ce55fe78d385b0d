// The balances page: the merchant's ledger accounts with balances (keyset by id), one account's entry
// history (keyset by entry), and transfers between accounts made from the dashboard with the same
// checks as POST /api/v1/transfers (createTransferDto, in the wrapper's idempotent transaction).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { sqlPool, type Tx } from "@/lib/db/client";
import { createTransferDto, findAccount, listAccounts, listEntries, type LedgerAccount, type LedgerEntryRecord, type TTransferDto } from "@/lib/ledger";
import { isCurrencyCode, MoneyError, parseMoney } from "@/lib/money";

export const ACCOUNTS_PAGE_SIZE = 50;
export const ENTRIES_PAGE_SIZE = 25;

export type AccountRowView = { id: string; name: string; code: string | null; purpose: string; type: string; currency: string; balanceMinor: string; status: string; customer: string | null };
export type EntryRowView = { id: string; transactionId: string; direction: string; amountMinor: string; balanceAfterMinor: string; currency: string; description: string; created: string };

function accountView(account: LedgerAccount): AccountRowView {
  return {
    id: account.id, name: account.name, code: account.code, purpose: account.purpose, type: account.type, currency: account.currency.trim(),
    balanceMinor: account.balanceMinor.toString(), status: account.status, customer: account.customerRef,
  };
}

function entryView(entry: LedgerEntryRecord): EntryRowView {
  return {
    id: entry.id, transactionId: entry.transactionId, direction: entry.direction, amountMinor: entry.amountMinor.toString(),
    balanceAfterMinor: entry.balanceAfterMinor.toString(), currency: entry.currency.trim(), description: entry.description, created: entry.createdAt.toISOString(),
  };
}

export async function listAccountsView(merchantId: string, options: { after?: string } = {}): Promise<{ rows: AccountRowView[]; nextCursor: string | null }> {
  const after = options.after && /^acct_[0-9a-z]{26}$/.test(options.after) ? options.after : undefined;
  const page = await listAccounts(sqlPool(), { merchantId, limit: ACCOUNTS_PAGE_SIZE, starting_after: after });
  return { rows: page.data.map(accountView), nextCursor: page.hasMore ? (page.data[page.data.length - 1]?.id ?? null) : null };
}

export async function listEntriesView(merchantId: string, accountId: string, options: { after?: string } = {}): Promise<{ account: AccountRowView; rows: EntryRowView[]; nextCursor: string | null } | null> {
  if (!/^acct_[0-9a-z]{26}$/.test(accountId)) return null;
  const after = options.after && /^ent_[0-9a-z]{26}$/.test(options.after) ? options.after : undefined;
  const [account, page] = await Promise.all([
    findAccount(sqlPool(), { merchantId, accountId }),
    listEntries(sqlPool(), { merchantId, accountId, limit: ENTRIES_PAGE_SIZE, starting_after: after }).catch(() => null),
  ]);
  if (!account || !page) return null;
  return { account: accountView(account), rows: page.data.map(entryView), nextCursor: page.hasMore ? (page.data[page.data.length - 1]?.id ?? null) : null };
}

export const ZDashboardTransferRequest = z.strictObject({
  from_account: z.string().regex(/^acct_[0-9a-z]{26}$/, "choose the account to move money from"),
  to_account: z.string().regex(/^acct_[0-9a-z]{26}$/, "choose the account to move money to"),
  /** Decimal in the currency's units ("25.00"). */
  amount: z.string().trim().regex(/^\d{1,16}([.,]\d{1,3})?$/, "must be an amount like 25.00"),
  currency: z.string().trim().toUpperCase().refine(isCurrencyCode, "must be an ISO 4217 currency code"),
  description: z.string().trim().min(1).max(500).optional(),
});
export type TDashboardTransferRequest = z.output<typeof ZDashboardTransferRequest>;

export async function createDashboardTransfer(tx: Tx, input: { merchantId: string; actor: Actor; request: TDashboardTransferRequest }): Promise<TTransferDto> {
  const { request } = input;
  let amountMinor: bigint;
  try {
    amountMinor = parseMoney(request.amount.replace(",", "."), request.currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new AppError("parameter_invalid", `The amount has more decimals than ${request.currency} allows.`, { param: "amount" });
    throw error;
  }
  const transfer = await createTransferDto(tx, {
    merchantId: input.merchantId, from_account: request.from_account, to_account: request.to_account, amount: amountMinor, currency: request.currency as never,
    description: request.description, metadata: { source: "dashboard" },
  });
  await recordAuditEvent(
    { merchantId: input.merchantId, actor: input.actor, action: "transfer.created", target: { type: "transfer", id: transfer.id }, data: { from: transfer.from_account, to: transfer.to_account, amount: amountMinor.toString(), currency: transfer.currency } },
    tx,
  );
  return transfer;
}
