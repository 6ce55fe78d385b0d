// The parts of an account that never change (merchant, currency, type, normal side: a trigger refuses
// to change them), cached per process. Existence and status are always re-checked under the posting's
// row lock, so a stale or wrong cache entry can make a posting fail, never post wrongly.
import type { Side } from "./chart-of-accounts";
import { querySql, type SqlClient } from "./sql";

export type AccountFacts = { id: string; merchantId: string; currency: string; normalSide: Side };

const CACHE_SIZE_MAX = 50_000;
const cache = new Map<string, AccountFacts>();

/** Facts of the given accounts that belong to the merchant; missing or foreign ids are absent from the map. */
export async function getAccountFacts(client: SqlClient, merchantId: string, accountIds: readonly string[]): Promise<Map<string, AccountFacts>> {
  const found = new Map<string, AccountFacts>();
  const missing: string[] = [];
  for (const id of accountIds) {
    const facts = cache.get(id);
    if (facts) {
      if (facts.merchantId === merchantId) found.set(id, facts);
    } else missing.push(id);
  }
  if (missing.length > 0) {
    const rows = await querySql<{ id: string; merchant_id: string; currency: string; normal_side: string }>(
      client,
      `SELECT id, merchant_id, currency::text AS currency, normal_side::text AS normal_side
       FROM ledger_accounts WHERE id = ANY($1::text[])`,
      [missing],
    );
    for (const row of rows) {
      const facts: AccountFacts = { id: row.id, merchantId: row.merchant_id, currency: row.currency, normalSide: row.normal_side as Side };
      if (cache.size >= CACHE_SIZE_MAX) cache.delete(cache.keys().next().value!);
      cache.set(row.id, facts);
      if (facts.merchantId === merchantId) found.set(row.id, facts);
    }
  }
  return found;
}
