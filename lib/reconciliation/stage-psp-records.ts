// Writes PSP rows into a run's staging table in multi-row statements (one unnest() INSERT per batch),
// whatever they came from: the balance-transactions API or an uploaded settlement report.
import type { SqlClient } from "@/lib/ledger/sql";
import { querySql } from "@/lib/ledger/sql";

/** Rows per INSERT: large enough to amortise the round trip, small enough to bound the parameter arrays. */
export const STAGE_BATCH_ROWS = 5_000;

export type StagedPspRecord = {
  balanceTransactionId: string;
  reportingCategory: string;
  type: string | null;
  sourceId: string | null;
  chargeId: string | null;
  paymentIntentId: string | null;
  settleRef: string | null;
  settleMerchantRef: string | null;
  createdAt: Date;
  availableOn: Date | null;
  /** Upper-case settlement currency. */
  currency: string;
  gross: bigint;
  fee: bigint;
  net: bigint;
  exchangeRate: string | null;
  customerFacingAmount: bigint | null;
  customerFacingCurrency: string | null;
  status: string | null;
  payoutId: string | null;
};

const INSERT_SQL = `
INSERT INTO reconciliation_psp_records
  (run_id, balance_transaction_id, reporting_category, type, source_id, charge_id, payment_intent_id, settle_ref,
   settle_merchant_ref, created_at, available_on, currency, gross, fee, net, exchange_rate, customer_facing_amount,
   customer_facing_currency, status, payout_id)
SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
  $10::timestamptz[], $11::timestamptz[], $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::numeric[],
  $17::bigint[], $18::text[], $19::text[], $20::text[])`;

export async function stagePspRecords(client: SqlClient, runId: string, rows: readonly StagedPspRecord[]): Promise<number> {
  for (let offset = 0; offset < rows.length; offset += STAGE_BATCH_ROWS) {
    const batch = rows.slice(offset, offset + STAGE_BATCH_ROWS);
    const col = <T>(pick: (row: StagedPspRecord) => T) => batch.map(pick);
    const text = (value: bigint | null) => (value === null ? null : value.toString());
    await querySql(client, INSERT_SQL, [
      runId,
      col((r) => r.balanceTransactionId),
      col((r) => r.reportingCategory),
      col((r) => r.type),
      col((r) => r.sourceId),
      col((r) => r.chargeId),
      col((r) => r.paymentIntentId),
      col((r) => r.settleRef),
      col((r) => r.settleMerchantRef),
      col((r) => r.createdAt.toISOString()),
      col((r) => r.availableOn?.toISOString() ?? null),
      col((r) => r.currency),
      col((r) => text(r.gross)),
      col((r) => text(r.fee)),
      col((r) => text(r.net)),
      col((r) => r.exchangeRate),
      col((r) => text(r.customerFacingAmount)),
      col((r) => r.customerFacingCurrency),
      col((r) => r.status),
      col((r) => r.payoutId),
    ]);
  }
  return rows.length;
}
