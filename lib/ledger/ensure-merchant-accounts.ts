// The merchant's chart of accounts in one currency, created on first use. Idempotent and safe under
// concurrency (unique on merchant + currency + code). One indexed read when they exist. No process
// cache: ids read inside a caller's transaction may belong to rows that transaction later rolls back.
import { AppError, assert } from "@/lib/api/errors";
import { newId } from "@/lib/ids";
import { CHART_OF_ACCOUNTS, type ChartCode, normalSideOf } from "./chart-of-accounts";
import { querySql, type SqlClient, SQLSTATE, sqlStateOf } from "./sql";

export type MerchantAccountIds = Record<ChartCode, string>;

function complete(rows: { id: string; code: string }[]): MerchantAccountIds | null {
  const ids = Object.fromEntries(rows.map((row) => [row.code, row.id])) as Partial<MerchantAccountIds>;
  return CHART_OF_ACCOUNTS.every((account) => ids[account.code]) ? (ids as MerchantAccountIds) : null;
}

async function selectChart(tx: SqlClient, merchantId: string, currency: string) {
  return querySql<{ id: string; code: string }>(
    tx,
    `SELECT id, code FROM ledger_accounts WHERE merchant_id = $1 AND currency = $2 AND code = ANY($3::text[])`,
    [merchantId, currency, CHART_OF_ACCOUNTS.map((account) => account.code)],
  );
}

/** Ids of the merchant's chart accounts in `currency` (merchant_available, psp_receivable, …), created if missing. */
export async function ensureMerchantAccounts(tx: SqlClient, merchantId: string, currency: string): Promise<MerchantAccountIds> {
  assert(/^[A-Z]{3}$/.test(currency), "currency is an upper-case ISO 4217 code");
  let ids = complete(await selectChart(tx, merchantId, currency));
  if (!ids) {
    const rows = CHART_OF_ACCOUNTS.map((account) => ({
      id: newId("account"),
      code: account.code,
      type: account.type,
      normal_side: normalSideOf(account.type),
      name: account.name,
      floor_minor: account.floorMinor === null ? null : account.floorMinor.toString(),
    }));
    try {
      await querySql(
        tx,
        `INSERT INTO ledger_accounts (id, merchant_id, currency, type, normal_side, code, purpose, name, floor_minor)
         SELECT r.id, $1, $2, r.type::"LedgerAccountType", r.normal_side::"LedgerSide", r.code, r.code, r.name, r.floor_minor::bigint
         FROM jsonb_to_recordset($3::jsonb) AS r(id text, code text, type text, normal_side text, name text, floor_minor text)
         ON CONFLICT (merchant_id, currency, code) DO NOTHING`,
        [merchantId, currency, JSON.stringify(rows)],
      );
    } catch (error) {
      if (sqlStateOf(error) === SQLSTATE.foreignKeyViolation) {
        throw new AppError("resource_missing", `No such merchant: '${merchantId}'`, { cause: error });
      }
      throw error;
    }
    ids = complete(await selectChart(tx, merchantId, currency));
  }
  assert(ids, "every chart account exists after ensureMerchantAccounts");
  return ids;
}
