// Every ledger posting the payment lifecycle makes (see README-postings.md). Each has an externalRef
// derived from our own ids, so replaying a step (webhook duplicate, recovery, retry) writes nothing new.
// All amounts are in the charge currency; see README-postings.md for FX.
import { assert } from "@/lib/api/errors";
import type { Tx } from "@/lib/db/client";
import { ensureMerchantAccounts, postTransaction, postTransactionAtCommit, type TPostingEntry } from "@/lib/ledger";
import { querySql } from "@/lib/ledger/sql";

type Line = { accountId: string; direction: "debit" | "credit"; amountMinor: bigint };

function entriesOf(externalRef: string, currency: string, lines: Line[]): TPostingEntry[] {
  return lines.filter((line) => line.amountMinor !== 0n).map((line) => {
    assert(line.amountMinor > 0n, `posting ${externalRef} has a negative line`);
    return { ...line, currency };
  });
}

async function post(tx: Tx, merchantId: string, currency: string, externalRef: string, description: string, lines: Line[], metadata?: Record<string, unknown>) {
  const entries = entriesOf(externalRef, currency, lines);
  if (entries.length === 0) return null;
  return postTransaction(tx, { merchantId, entries, description, externalRef, metadata });
}

type PaymentRef = { id: string; merchantId: string; currency: string };

/** Whether the charge's settlement was posted (decides merchant_pending vs merchant_available for later movements). */
export async function isSettlementPosted(tx: Tx, payment: PaymentRef): Promise<boolean> {
  const rows = await querySql<{ one: number }>(tx, `SELECT 1 AS one FROM ledger_transactions WHERE merchant_id = $1 AND external_ref = $2`, [
    payment.merchantId,
    `payment:${payment.id}:settle`,
  ]);
  return rows.length > 0;
}

/**
 * Capture through the PSP: Dr psp_receivable (gross − fee), Dr psp_fees (fee), Cr merchant_pending (gross).
 * Posted at the COMMIT of `tx` (postTransactionAtCommit): every capture of a merchant touches these same
 * three accounts, none of which can refuse it, so their row locks are held for the COMMIT only.
 */
export async function postCapture(tx: Tx, payment: PaymentRef, grossMinor: bigint, feeMinor: bigint): Promise<void> {
  assert(feeMinor >= 0n && feeMinor <= grossMinor, "a PSP fee is between zero and the gross amount");
  const chart = await ensureMerchantAccounts(tx, payment.merchantId, payment.currency);
  const lines: Line[] = [
    { accountId: chart.psp_receivable, direction: "debit", amountMinor: grossMinor - feeMinor },
    { accountId: chart.psp_fees, direction: "debit", amountMinor: feeMinor },
    { accountId: chart.merchant_pending, direction: "credit", amountMinor: grossMinor },
  ];
  await postTransactionAtCommit(tx, {
    merchantId: payment.merchantId,
    externalRef: `payment:${payment.id}:capture`,
    description: `Capture of ${payment.id}`,
    entries: entriesOf(`payment:${payment.id}:capture`, payment.currency, lines),
  });
}

/** Wallet payment: Dr customer wallet, Cr merchant_available. The wallet's floor refuses an overdraft. */
export async function postWalletCapture(tx: Tx, payment: PaymentRef, walletAccountId: string, amountMinor: bigint) {
  const chart = await ensureMerchantAccounts(tx, payment.merchantId, payment.currency);
  return post(tx, payment.merchantId, payment.currency, `payment:${payment.id}:capture`, `Wallet payment ${payment.id}`, [
    { accountId: walletAccountId, direction: "debit", amountMinor },
    { accountId: chart.merchant_available, direction: "credit", amountMinor },
  ]);
}

/**
 * The charge's balance transaction became available: Dr bank_cash, Cr psp_receivable (net); and the
 * merchant's still-pending part of this payment moves merchant_pending → merchant_available.
 */
export async function postSettlement(tx: Tx, payment: PaymentRef, netMinor: bigint, moveMinor: bigint) {
  const chart = await ensureMerchantAccounts(tx, payment.merchantId, payment.currency);
  return post(tx, payment.merchantId, payment.currency, `payment:${payment.id}:settle`, `Settlement of ${payment.id}`, [
    { accountId: chart.bank_cash, direction: "debit", amountMinor: netMinor },
    { accountId: chart.psp_receivable, direction: "credit", amountMinor: netMinor },
    { accountId: chart.merchant_pending, direction: "debit", amountMinor: moveMinor },
    { accountId: chart.merchant_available, direction: "credit", amountMinor: moveMinor },
  ]);
}

/** The merchant balance account a later movement on this payment uses. */
async function merchantAccount(tx: Tx, payment: PaymentRef) {
  const chart = await ensureMerchantAccounts(tx, payment.merchantId, payment.currency);
  return { chart, merchant: (await isSettlementPosted(tx, payment)) ? chart.merchant_available : chart.merchant_pending };
}

/** A refund is requested: Dr merchant (pending before settlement, available after), Cr psp_receivable. */
export async function postRefundHold(tx: Tx, payment: PaymentRef, refundId: string, amountMinor: bigint, walletAccountId?: string) {
  const { chart, merchant } = await merchantAccount(tx, payment);
  return post(tx, payment.merchantId, payment.currency, `refund:${refundId}:hold`, `Refund ${refundId} of ${payment.id}`, [
    { accountId: walletAccountId ? chart.merchant_available : merchant, direction: "debit", amountMinor },
    { accountId: walletAccountId ?? chart.psp_receivable, direction: "credit", amountMinor },
  ]);
}

/** A refund failed (or was canceled/rejected): give the merchant the money back. */
export async function postRefundRelease(tx: Tx, payment: PaymentRef, refundId: string, amountMinor: bigint) {
  const { chart, merchant } = await merchantAccount(tx, payment);
  return post(tx, payment.merchantId, payment.currency, `refund:${refundId}:release`, `Refund ${refundId} failed`, [
    { accountId: chart.psp_receivable, direction: "debit", amountMinor },
    { accountId: merchant, direction: "credit", amountMinor },
  ]);
}

/** The refund's balance transaction is available: the money left the PSP balance (Dr psp_receivable, Cr bank_cash). */
export async function postRefundSettlement(tx: Tx, payment: PaymentRef, refundId: string, amountMinor: bigint) {
  const chart = await ensureMerchantAccounts(tx, payment.merchantId, payment.currency);
  return post(tx, payment.merchantId, payment.currency, `refund:${refundId}:settle`, `Refund ${refundId} settled`, [
    { accountId: chart.psp_receivable, direction: "debit", amountMinor },
    { accountId: chart.bank_cash, direction: "credit", amountMinor },
  ]);
}

/** A settled refund failed afterwards: the refund_failure balance transaction brings the money back. */
export async function postRefundFailureSettlement(tx: Tx, payment: PaymentRef, refundId: string, amountMinor: bigint) {
  const chart = await ensureMerchantAccounts(tx, payment.merchantId, payment.currency);
  return post(tx, payment.merchantId, payment.currency, `refund:${refundId}:failure_settle`, `Refund ${refundId} returned`, [
    { accountId: chart.bank_cash, direction: "debit", amountMinor },
    { accountId: chart.psp_receivable, direction: "credit", amountMinor },
  ]);
}

/**
 * Chargeback funds withdrawn: Dr merchant (amount), Dr psp_fees (dispute fee), Cr psp_receivable; the
 * withdrawal is taken from the PSP's available balance at once, so its settlement (Dr psp_receivable,
 * Cr bank_cash) is posted with it.
 */
export async function postChargeback(tx: Tx, payment: PaymentRef, disputeId: string, amountMinor: bigint, feeMinor: bigint) {
  const { chart, merchant } = await merchantAccount(tx, payment);
  const lines = (account: string) => [
    { accountId: account, direction: "debit" as const, amountMinor },
    { accountId: chart.psp_fees, direction: "debit" as const, amountMinor: feeMinor },
    { accountId: chart.psp_receivable, direction: "credit" as const, amountMinor: amountMinor + feeMinor },
  ];
  let posted;
  try {
    posted = await post(tx, payment.merchantId, payment.currency, `dispute:${disputeId}:withdrawal`, `Chargeback ${disputeId} on ${payment.id}`, lines(merchant));
  } catch (error) {
    // merchant_available has a floor: a merchant who was paid out owes the chargeback (merchant_pending may go negative).
    if (merchant !== chart.merchant_available || (error as { code?: string }).code !== "insufficient_funds") throw error;
    posted = await post(tx, payment.merchantId, payment.currency, `dispute:${disputeId}:withdrawal`, `Chargeback ${disputeId} on ${payment.id}`, lines(chart.merchant_pending));
  }
  await post(tx, payment.merchantId, payment.currency, `dispute:${disputeId}:withdrawal:settle`, `Chargeback ${disputeId} debited by the PSP`, [
    { accountId: chart.psp_receivable, direction: "debit", amountMinor: amountMinor + feeMinor },
    { accountId: chart.bank_cash, direction: "credit", amountMinor: amountMinor + feeMinor },
  ]);
  return posted;
}

/** Dispute won: the chargeback amount comes back (and a refunded dispute fee, when the PSP returns it). */
export async function postChargebackReversal(tx: Tx, payment: PaymentRef, disputeId: string, amountMinor: bigint, feeRefundMinor: bigint) {
  const { chart, merchant } = await merchantAccount(tx, payment);
  await post(tx, payment.merchantId, payment.currency, `dispute:${disputeId}:reinstated`, `Dispute ${disputeId} won`, [
    { accountId: chart.psp_receivable, direction: "debit", amountMinor: amountMinor + feeRefundMinor },
    { accountId: merchant, direction: "credit", amountMinor },
    { accountId: chart.psp_fees, direction: "credit", amountMinor: feeRefundMinor },
  ]);
  await post(tx, payment.merchantId, payment.currency, `dispute:${disputeId}:reinstated:settle`, `Dispute ${disputeId} funds reinstated by the PSP`, [
    { accountId: chart.bank_cash, direction: "debit", amountMinor: amountMinor + feeRefundMinor },
    { accountId: chart.psp_receivable, direction: "credit", amountMinor: amountMinor + feeRefundMinor },
  ]);
}

// Dispute lost: nothing moves. The merchant's balance already carried the amount and the fee since the
// withdrawal; the dispute is closed and the payment stays in chargeback.
