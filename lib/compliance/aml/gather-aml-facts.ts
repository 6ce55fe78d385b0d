// Reads what the AML rules need: the customer's recent payments (risk_payment_attempts that succeeded)
// and transfers (aml_transfers), and for a transfer out of a customer wallet, the wallet's recent in- and
// outflows from the ledger (read-only).
import { db, sqlPool } from "@/lib/db/client";
import { toUsdMinor } from "@/lib/fraud/usd-equivalent";
import { querySql } from "@/lib/ledger/sql";
import type { AmlConfig } from "./aml-config";
import type { AmlMovement } from "./rules";

export const AML_HISTORY_ROWS_MAX = 1_000;

export async function customerMovements(merchantId: string, customerId: string, occurredAt: Date, config: AmlConfig, excludeTransferId?: string): Promise<AmlMovement[]> {
  const lookbackHours = Math.max(24, config.structuring.windowHours);
  const since = new Date(occurredAt.getTime() - lookbackHours * 3_600_000);
  const range = { gt: since, lte: occurredAt };
  const [payments, transfers] = await Promise.all([
    db().riskPaymentAttempt.findMany({
      where: { merchantId, customerId, succeeded: true, occurredAt: range },
      select: { amountUsdMinor: true, occurredAt: true },
      orderBy: { occurredAt: "desc" },
      take: AML_HISTORY_ROWS_MAX,
    }),
    db().amlTransfer.findMany({
      where: { merchantId, customerId, occurredAt: range, ...(excludeTransferId ? { transferId: { not: excludeTransferId } } : {}) },
      select: { amountUsdMinor: true, occurredAt: true },
      orderBy: { occurredAt: "desc" },
      take: AML_HISTORY_ROWS_MAX,
    }),
  ]);
  return [...payments, ...transfers].sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime());
}

export type WalletAccount = { id: string; currency: string; customerRef: string | null; isWallet: boolean };

export async function findAccount(merchantId: string, accountId: string): Promise<WalletAccount | null> {
  const rows = await querySql<{ id: string; currency: string; customer_ref: string | null; purpose: string }>(
    sqlPool(),
    `SELECT id, currency::text AS currency, customer_ref, purpose FROM ledger_accounts WHERE id = $1 AND merchant_id = $2`,
    [accountId, merchantId],
  );
  const row = rows[0];
  return row ? { id: row.id, currency: row.currency, customerRef: row.customer_ref, isWallet: row.purpose === "customer_wallet" } : null;
}

/** Inflows and outflows of a wallet since the window start, in USD minor units (null without a rate). */
export async function walletFlows(account: WalletAccount, occurredAt: Date, config: AmlConfig): Promise<{ inflowUsdMinor: bigint; outflowUsdMinor: bigint } | null> {
  const since = new Date(occurredAt.getTime() - config.rapidInOut.windowHours * 3_600_000);
  const rows = await querySql<{ inflow: bigint | string | null; outflow: bigint | string | null }>(
    sqlPool(),
    `SELECT COALESCE(SUM(e.amount_minor) FILTER (WHERE e.direction = a.normal_side), 0)::bigint AS inflow,
            COALESCE(SUM(e.amount_minor) FILTER (WHERE e.direction <> a.normal_side), 0)::bigint AS outflow
     FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
     WHERE e.account_id = $1 AND e.created_at > $2 AND e.created_at <= $3`,
    [account.id, since.toISOString(), occurredAt.toISOString()],
  );
  const inflow = BigInt(rows[0]?.inflow ?? 0);
  const outflow = BigInt(rows[0]?.outflow ?? 0);
  const [inflowUsd, outflowUsd] = await Promise.all([toUsdMinor(inflow, account.currency, occurredAt), toUsdMinor(outflow, account.currency, occurredAt)]);
  if (inflowUsd === null || outflowUsd === null) return null;
  return { inflowUsdMinor: inflowUsd, outflowUsdMinor: outflowUsd };
}
