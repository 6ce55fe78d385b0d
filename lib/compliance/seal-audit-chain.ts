// The audit sealer: chains unsealed audit rows per merchant in seq order (prev_hash, hash), so that any
// later change, deletion or reordering is detectable by verify-audit-chain.ts. Runs every few seconds
// from the worker (jobs.ts). Rows without a merchant (failed sign-ins for unknown emails) form their own
// "platform" chain.
import type pg from "pg";
import { assert } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { AUDIT_GENESIS_HASH, AUDIT_ROW_COLUMNS, auditRowHash, type AuditChainRow } from "./audit-chain-hash";
import { AUDIT_INSERT_LOCK } from "./record-audit-event";

/** Serialises sealers (one process seals at a time; the others return `busy`). */
const SEALER_LOCK = AUDIT_INSERT_LOCK ^ 0x5ea1n;
const BATCH_SIZE_MAX = 5_000;
const BATCHES_PER_CALL_MAX = 200;
const HORIZON_TRIES = 20;

export type SealResult = { sealed: number; horizonSeq: bigint | null; busy: boolean };

/**
 * The highest seq that is final: taken while holding the inserters' lock exclusively, so no transaction
 * that has drawn a seq is still open. Tries without waiting first (a waiting exclusive request would
 * queue new inserters behind it), then waits at most briefly.
 */
async function sealHorizon(): Promise<bigint | null> {
  const client = await sqlPool().connect();
  try {
    for (let attempt = 1; attempt <= HORIZON_TRIES + 1; attempt++) {
      await client.query("begin");
      try {
        let locked: boolean;
        if (attempt <= HORIZON_TRIES) {
          const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_xact_lock($1::bigint) as locked", [AUDIT_INSERT_LOCK.toString()]);
          locked = rows[0]!.locked;
        } else {
          await client.query("set local lock_timeout = '250ms'");
          await client.query("select pg_advisory_xact_lock($1::bigint)", [AUDIT_INSERT_LOCK.toString()]);
          locked = true;
        }
        if (locked) {
          const { rows } = await client.query<{ horizon: bigint | null }>("select max(seq) as horizon from audit_events");
          await client.query("commit");
          return rows[0]!.horizon;
        }
        await client.query("rollback");
      } catch (error) {
        await client.query("rollback");
        if ((error as { code?: string }).code === "55P03") return null; // lock_timeout: try again next run
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 5 + attempt * 2));
    }
    return null;
  } finally {
    client.release();
  }
}

async function chainHead(client: pg.PoolClient, merchantId: string | null, beforeSeq: bigint): Promise<{ seq: bigint; hash: string } | null> {
  const { rows } = await client.query<{ seq: bigint; hash: string }>(
    merchantId === null
      ? "select seq, hash from audit_events where merchant_id is null and hash is not null and seq < $1 order by seq desc limit 1"
      : "select seq, hash from audit_events where merchant_id = $2 and hash is not null and seq < $1 order by seq desc limit 1",
    merchantId === null ? [beforeSeq.toString()] : [beforeSeq.toString(), merchantId],
  );
  return rows[0] ?? null;
}

/** Chains `rows` (ascending seq, any merchants) onto their merchants' heads and writes the seals. */
async function sealRows(client: pg.PoolClient, rows: AuditChainRow[]): Promise<number> {
  const heads = new Map<string, { seq: bigint; hash: string }>();
  const seqs: string[] = [];
  const prevHashes: string[] = [];
  const hashes: string[] = [];
  for (const row of rows) {
    if (row.hash !== null) continue;
    const chain = row.merchant_id ?? "";
    let head = heads.get(chain) ?? null;
    if (!heads.has(chain)) head = await chainHead(client, row.merchant_id, row.seq);
    assert(!head || head.seq < row.seq, "a chain only grows in seq order");
    const prevHash = head?.hash ?? AUDIT_GENESIS_HASH;
    const hash = auditRowHash(row, prevHash);
    heads.set(chain, { seq: row.seq, hash });
    seqs.push(row.seq.toString());
    prevHashes.push(prevHash);
    hashes.push(hash);
  }
  if (seqs.length === 0) return 0;
  const result = await client.query(
    `update audit_events as a set prev_hash = v.prev_hash, hash = v.hash
     from unnest($1::bigint[], $2::text[], $3::text[]) as v(seq, prev_hash, hash)
     where a.seq = v.seq and a.hash is null`,
    [seqs, prevHashes, hashes],
  );
  assert(result.rowCount === seqs.length, "every row chosen for sealing is sealed exactly once");
  return seqs.length;
}

/**
 * Seals every unsealed row up to the horizon, for one merchant (`merchantId`; null = the platform chain)
 * or for all (omitted). Each batch is one transaction. Returns how many rows were sealed.
 */
export async function sealAuditChain(options: { merchantId?: string | null; batchSize?: number } = {}): Promise<SealResult> {
  const batchSize = Math.min(Math.max(options.batchSize ?? 500, 1), BATCH_SIZE_MAX);
  const horizonSeq = await sealHorizon();
  if (horizonSeq === null) return { sealed: 0, horizonSeq: null, busy: false };
  let sealed = 0;
  const client = await sqlPool().connect();
  try {
    for (let batch = 0; batch < BATCHES_PER_CALL_MAX; batch++) {
      await client.query("begin");
      try {
        const { rows: lock } = await client.query<{ locked: boolean }>("select pg_try_advisory_xact_lock($1::bigint) as locked", [SEALER_LOCK.toString()]);
        if (!lock[0]!.locked) {
          await client.query("rollback");
          return { sealed, horizonSeq, busy: true };
        }
        let rows: AuditChainRow[];
        let watermark: bigint | null = null;
        if (options.merchantId === undefined) {
          const { rows: state } = await client.query<{ watermark_seq: bigint }>("select watermark_seq from audit_sealer_state where id = 1 for update");
          watermark = state[0]?.watermark_seq ?? 0n;
          ({ rows } = await client.query<AuditChainRow>(
            `select ${AUDIT_ROW_COLUMNS} from audit_events where seq > $1 and seq <= $2 order by seq limit $3`,
            [watermark.toString(), horizonSeq.toString(), batchSize],
          ));
        } else {
          const head = await chainHead(client, options.merchantId, horizonSeq + 1n);
          const from = (head?.seq ?? 0n).toString();
          ({ rows } = await client.query<AuditChainRow>(
            options.merchantId === null
              ? `select ${AUDIT_ROW_COLUMNS} from audit_events where merchant_id is null and seq > $1 and seq <= $2 and hash is null order by seq limit $3`
              : `select ${AUDIT_ROW_COLUMNS} from audit_events where merchant_id = $4 and seq > $1 and seq <= $2 and hash is null order by seq limit $3`,
            options.merchantId === null ? [from, horizonSeq.toString(), batchSize] : [from, horizonSeq.toString(), batchSize, options.merchantId],
          ));
        }
        sealed += await sealRows(client, rows);
        const last = rows.at(-1);
        if (watermark !== null && last) {
          // Upsert rather than update: the migration creates the row, but a restored database may lack it.
          await client.query(
            `insert into audit_sealer_state (id, watermark_seq, updated_at) values (1, $1, now())
             on conflict (id) do update set watermark_seq = excluded.watermark_seq, updated_at = now()`,
            [last.seq.toString()],
          );
        }
        await client.query("commit");
        if (rows.length < batchSize) break;
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      }
    }
  } finally {
    client.release();
  }
  return { sealed, horizonSeq, busy: false };
}
