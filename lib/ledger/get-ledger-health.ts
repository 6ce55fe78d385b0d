// The ledger's health for /api/ready and the dashboard: open balance-check alerts and how far the
// background check has got.
import { sqlPool } from "@/lib/db/client";
import { querySql, type SqlClient } from "./sql";

export type LedgerHealth = {
  ok: boolean;
  openAlerts: number;
  /** Every entry up to this sequence number has been checked (number, or a string beyond 2^53). */
  lastCheckedSeq: number | string | null;
  lastRunAt: string | null;
};

export async function getLedgerHealth(client: SqlClient = sqlPool()): Promise<LedgerHealth> {
  const [row] = await querySql<{ open_alerts: number; checked_seq: bigint | null; last_run_at: Date | null }>(
    client,
    `SELECT (SELECT count(*) FROM ledger_alerts WHERE status = 'open')::int AS open_alerts,
            c.checked_seq, c.last_run_at
     FROM (SELECT 1) one LEFT JOIN ledger_checkpoints c ON c.name = 'balance'`,
  );
  const checked = row?.checked_seq == null ? null : BigInt(row.checked_seq);
  return {
    ok: (row?.open_alerts ?? 0) === 0,
    openAlerts: row?.open_alerts ?? 0,
    lastCheckedSeq: checked === null ? null : checked <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(checked) : checked.toString(),
    lastRunAt: row?.last_run_at?.toISOString() ?? null,
  };
}

/** Marks an alert as dealt with (after the cause was found and corrected with a reversing posting). */
export async function resolveLedgerAlert(alertId: bigint): Promise<boolean> {
  const rows = await querySql(sqlPool(), `UPDATE ledger_alerts SET status = 'resolved', resolved_at = now() WHERE id = $1::bigint AND status = 'open' RETURNING id`, [
    alertId.toString(),
  ]);
  return rows.length === 1;
}
