// Recomputes a merchant's audit chain from its rows and reports the first broken link, if any: a row
// whose content no longer matches its hash (edited), whose prev_hash is not its predecessor's hash (a row
// before it deleted, inserted or reordered), or an unsealed row followed by sealed ones.
import { sqlPool } from "@/lib/db/client";
import { AUDIT_GENESIS_HASH, AUDIT_ROW_COLUMNS, auditRowHash, type AuditChainRow } from "./audit-chain-hash";

const BATCH_SIZE = 1_000;

export type BrokenLink = {
  seq: bigint;
  id: string;
  /** checkpoint_mismatch: the row a checkpoint vouched for changed or vanished; a full verify pinpoints the break. */
  reason: "hash_mismatch" | "prev_hash_mismatch" | "unsealed_before_sealed" | "anchor_mismatch" | "checkpoint_mismatch";
};

/** Where an earlier verification found the chain intact: verification can resume after it. */
export type VerifiedPoint = { seq: bigint; hash: string; count: number };

/**
 * A chain head recorded outside the database (printed by the CLI, kept in a ticket, object storage with
 * retention lock, …). A hash chain alone shows edits by anyone who cannot recompute it; someone with
 * database superuser rights can rewrite a row AND every hash after it. An anchor taken before the rewrite
 * no longer matches, which pins the tampering down to the rows at or before the anchor.
 */
export type ChainAnchor = { seq: bigint; hash: string };

export type ChainVerification = {
  merchantId: string | null;
  ok: boolean;
  /** Sealed rows checked and found intact. */
  verifiedCount: number;
  /** Last seq of the intact part of the chain (null when nothing is sealed yet). */
  verifiedUpToSeq: bigint | null;
  /** The hash of that row (a checkpoint for the next verification). */
  verifiedUpToHash: string | null;
  /** Rows read by this run (the tail only, when it resumed from a checkpoint). */
  rowsRead: number;
  /** False when rowsMax stopped it before the end of the chain (the rest is unverified, not broken). */
  complete: boolean;
  /** Rows after the chain's end still waiting for the sealer. */
  unsealedCount: number;
  brokenAt: BrokenLink | null;
};

/**
 * Verifies a chain from its genesis row, or, given `from` (a checkpoint an earlier verification stored),
 * only the rows after it: the checkpoint's row must still carry its hash, and the tail must chain onto it.
 * Only a full verification (no `from`) can pinpoint a break before the checkpoint. `rowsMax` bounds the
 * rows read (the result is then `complete: false`).
 */
export async function verifyAuditChain(
  merchantId: string | null,
  options: { anchors?: ChainAnchor[]; from?: VerifiedPoint | null; rowsMax?: number } = {},
): Promise<ChainVerification> {
  const from = options.from ?? null;
  const result: ChainVerification = {
    merchantId, ok: true, verifiedCount: from?.count ?? 0, verifiedUpToSeq: from?.seq ?? null, verifiedUpToHash: from?.hash ?? null,
    rowsRead: 0, complete: true, unsealedCount: 0, brokenAt: null,
  };
  const anchors = new Map((options.anchors ?? []).map((anchor) => [anchor.seq, anchor.hash]));
  let expectedPrev = AUDIT_GENESIS_HASH;
  let after = -1n;
  if (from) {
    const { rows } = await sqlPool().query<{ id: string; hash: string | null; merchant_id: string | null }>("select id, hash, merchant_id from audit_events where seq = $1", [from.seq.toString()]);
    const row = rows[0];
    if (!row || row.hash !== from.hash || row.merchant_id !== merchantId) {
      return { ...result, ok: false, verifiedCount: 0, verifiedUpToSeq: null, verifiedUpToHash: null, brokenAt: { seq: from.seq, id: row?.id ?? "(missing)", reason: "checkpoint_mismatch" } };
    }
    expectedPrev = from.hash;
    after = from.seq;
  }
  const rowsMax = options.rowsMax ?? Number.MAX_SAFE_INTEGER;
  let firstUnsealed: AuditChainRow | null = null;
  for (;;) {
    if (result.rowsRead >= rowsMax) {
      result.complete = false;
      break;
    }
    const limit = Math.min(BATCH_SIZE, rowsMax - result.rowsRead);
    const { rows } = await sqlPool().query<AuditChainRow>(
      merchantId === null
        ? `select ${AUDIT_ROW_COLUMNS} from audit_events where merchant_id is null and seq > $1 order by seq limit $2`
        : `select ${AUDIT_ROW_COLUMNS} from audit_events where merchant_id = $3 and seq > $1 order by seq limit $2`,
      merchantId === null ? [after.toString(), limit] : [after.toString(), limit, merchantId],
    );
    result.rowsRead += rows.length;
    for (const row of rows) {
      if (row.hash === null) {
        firstUnsealed ??= row;
        result.unsealedCount++;
        continue;
      }
      let reason: BrokenLink["reason"] | null = null;
      if (firstUnsealed) reason = "unsealed_before_sealed";
      else if (row.prev_hash !== expectedPrev) reason = "prev_hash_mismatch";
      else if (auditRowHash(row, expectedPrev) !== row.hash) reason = "hash_mismatch";
      else if (anchors.has(row.seq) && anchors.get(row.seq) !== row.hash) reason = "anchor_mismatch";
      if (reason) {
        const at = reason === "unsealed_before_sealed" ? firstUnsealed! : row;
        return { ...result, ok: false, brokenAt: { seq: at.seq, id: at.id, reason } };
      }
      expectedPrev = row.hash;
      result.verifiedCount++;
      result.verifiedUpToSeq = row.seq;
      result.verifiedUpToHash = row.hash;
    }
    if (rows.length < limit) break;
    after = rows.at(-1)!.seq;
  }
  return result;
}

/** The newest sealed row of a chain: record it outside the database to anchor later verifications. */
export async function getAuditChainHead(merchantId: string | null): Promise<ChainAnchor | null> {
  const { rows } = await sqlPool().query<{ seq: bigint; hash: string }>(
    merchantId === null
      ? "select seq, hash from audit_events where merchant_id is null and hash is not null order by seq desc limit 1"
      : "select seq, hash from audit_events where merchant_id = $1 and hash is not null order by seq desc limit 1",
    merchantId === null ? [] : [merchantId],
  );
  return rows[0] ?? null;
}

/** Every chain in the database (each merchant's, and the platform chain), for the operator CLI. */
export async function verifyAllAuditChains(): Promise<ChainVerification[]> {
  const { rows } = await sqlPool().query<{ merchant_id: string | null }>("select distinct merchant_id from audit_events order by merchant_id nulls first");
  const results: ChainVerification[] = [];
  for (const { merchant_id } of rows) results.push(await verifyAuditChain(merchant_id));
  return results;
}

/**
 * `npm run cli -- audit:verify [--merchant mer_…] [--anchor <seq>:<hash>]`: one line per chain with its
 * head (record it outside the database to anchor the next run); exit code 1 if any chain is broken.
 */
export async function runAuditVerifyCommand(
  options: { merchantId?: string; anchors?: ChainAnchor[] } = {},
  print: (line: string) => void = console.log,
): Promise<number> {
  const results = options.merchantId ? [await verifyAuditChain(options.merchantId, { anchors: options.anchors })] : await verifyAllAuditChains();
  for (const r of results) {
    const chain = r.merchantId ?? "(platform)";
    if (r.ok) {
      const head = await getAuditChainHead(r.merchantId);
      print(`ok      ${chain}: ${r.verifiedCount} sealed rows verified, ${r.unsealedCount} awaiting seal; head ${head ? `${head.seq}:${head.hash}` : "-"}`);
    } else {
      print(`BROKEN  ${chain}: first broken link at seq ${r.brokenAt!.seq} (${r.brokenAt!.id}): ${r.brokenAt!.reason}; intact up to seq ${r.verifiedUpToSeq ?? "-"}`);
    }
  }
  if (results.length === 0) print("no audit rows");
  return results.every((r) => r.ok) ? 0 : 1;
}

/** Parses `--anchor 1234:<hash>` values for the CLI. */
export function parseChainAnchor(text: string): ChainAnchor {
  const match = /^(\d{1,19}):([A-Za-z0-9_-]{43})$/.exec(text.trim());
  if (!match) throw new Error(`An anchor is <seq>:<hash> as printed by audit:verify, not '${text}'.`);
  return { seq: BigInt(match[1]!), hash: match[2]! };
}
