// The hash of one audit row in its merchant's chain: SHA-256 over a canonical serialisation of the row's
// immutable fields and the previous row's hash. Shared by the sealer and the verifier.
import { createHash } from "node:crypto";

/** prev_hash of the first row of every chain. */
export const AUDIT_GENESIS_HASH = "settle-audit-genesis-v1";

/**
 * The columns as read by AUDIT_ROW_SQL. `data` is jsonb's own text form (keys ordered, spacing fixed by
 * PostgreSQL), so large numbers and key order survive exactly; created_at is UTC with milliseconds.
 */
export type AuditChainRow = {
  seq: bigint;
  id: string;
  merchant_id: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  data: string | null;
  created_at: string;
  prev_hash: string | null;
  hash: string | null;
};

export const AUDIT_ROW_COLUMNS = `seq, id, merchant_id, actor_type, actor_id, action, target_type, target_id, ip, user_agent, request_id,
  data::text as data, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, prev_hash, hash`;

/**
 * Base64url, not hex: hashes live in text columns that the PAN scan reads, and a 64-character hex string
 * has about a 1% chance of holding a Luhn-valid run of 13+ digits; base64url makes that negligible.
 */
export function auditRowHash(row: AuditChainRow, prevHash: string): string {
  const canonical = JSON.stringify([
    "settle-audit-v1",
    row.seq.toString(),
    row.id,
    row.merchant_id,
    row.actor_type,
    row.actor_id,
    row.action,
    row.target_type,
    row.target_id,
    row.ip,
    row.user_agent,
    row.request_id,
    row.data,
    row.created_at,
    prevHash,
  ]);
  return createHash("sha256").update(canonical, "utf8").digest("base64url");
}
