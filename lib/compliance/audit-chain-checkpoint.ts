// Incremental audit-chain verification. Re-verifying a whole chain on every audit-log page view grows
// with the log; instead the verifier job (jobs.ts) stores, per chain, how far the chain was found intact
// (audit_chain_checkpoints), and a page view checks that checkpoint row and verifies only the tail after
// it. Rows before the checkpoint are re-verified from the genesis row daily by the job, and on demand by
// `audit:verify` and GET /api/v1/audit/verify, which pinpoint the first broken link and move the
// checkpoint back to the intact part. The checkpoint lives in the same database: it saves work, it is no
// anchor (record chain heads outside the database for that, see verify-audit-chain.ts).
import { db } from "@/lib/db/client";
import { verifyAuditChain, type ChainVerification, type VerifiedPoint } from "./verify-audit-chain";

/** Rows a page view verifies after the checkpoint at most; the job keeps the tail short. */
export const AUDIT_TAIL_ROWS_MAX = 5_000;

export type StoredCheckpoint = {
  point: VerifiedPoint | null;
  brokenAt: ChainVerification["brokenAt"];
  fullVerifiedAt: Date | null;
  checkedAt: Date;
};

export type IncrementalVerification = ChainVerification & { checkpoint: StoredCheckpoint | null };

const chainKey = (merchantId: string | null) => merchantId ?? "";

export async function readAuditChainCheckpoint(merchantId: string | null): Promise<StoredCheckpoint | null> {
  const row = await db().auditChainCheckpoint.findUnique({ where: { chain: chainKey(merchantId) } });
  if (!row) return null;
  return {
    point: row.verifiedSeq !== null && row.verifiedHash !== null ? { seq: row.verifiedSeq, hash: row.verifiedHash, count: Number(row.verifiedCount) } : null,
    brokenAt: row.brokenSeq !== null ? { seq: row.brokenSeq, id: row.brokenId ?? "", reason: row.brokenReason as NonNullable<ChainVerification["brokenAt"]>["reason"] } : null,
    fullVerifiedAt: row.fullVerifiedAt,
    checkedAt: row.checkedAt,
  };
}

/**
 * For the audit-log page: the stored checkpoint, checked, plus the tail after it (at most `rowsMax` rows).
 * Writes nothing. A break the last full verification found stays reported until a later one clears it.
 */
export async function verifyAuditChainIncrementally(merchantId: string | null, options: { rowsMax?: number } = {}): Promise<IncrementalVerification> {
  const checkpoint = await readAuditChainCheckpoint(merchantId);
  const result = await verifyAuditChain(merchantId, { from: checkpoint?.point ?? null, rowsMax: options.rowsMax ?? AUDIT_TAIL_ROWS_MAX });
  if (result.ok && checkpoint?.brokenAt) return { ...result, ok: false, brokenAt: checkpoint.brokenAt, checkpoint };
  return { ...result, checkpoint };
}

async function storeCheckpoint(merchantId: string | null, result: ChainVerification, full: boolean, resumedFrom: VerifiedPoint | null): Promise<boolean> {
  const now = new Date();
  const values = {
    verifiedSeq: result.verifiedUpToSeq,
    verifiedHash: result.verifiedUpToHash,
    verifiedCount: BigInt(result.verifiedCount),
    brokenSeq: result.brokenAt?.seq ?? null,
    brokenId: result.brokenAt?.id ?? null,
    brokenReason: result.brokenAt?.reason ?? null,
    checkedAt: now,
    ...(full ? { fullVerifiedAt: now } : {}),
  };
  const chain = chainKey(merchantId);
  if (full) {
    await db().auditChainCheckpoint.upsert({ where: { chain }, create: { chain, ...values }, update: values });
    return true;
  }
  // An incremental result only moves the checkpoint it started from: if a full verification moved it
  // meanwhile (e.g. back to before a break), this result is stale and is dropped.
  if (!resumedFrom) {
    const created = await db().auditChainCheckpoint.createMany({ data: [{ chain, ...values }], skipDuplicates: true });
    return created.count === 1;
  }
  const { count } = await db().auditChainCheckpoint.updateMany({ where: { chain, verifiedSeq: resumedFrom.seq, verifiedHash: resumedFrom.hash, brokenSeq: null }, data: values });
  return count === 1;
}

/**
 * The verifier: verifies one chain (from the genesis row when `full`, else from its checkpoint) and stores
 * the new checkpoint. An incremental run that finds the checkpoint row changed falls back to a full one,
 * which pinpoints the first broken link.
 */
export async function checkpointAuditChain(merchantId: string | null, options: { full?: boolean } = {}): Promise<ChainVerification> {
  const checkpoint = options.full ? null : await readAuditChainCheckpoint(merchantId);
  if (!options.full && checkpoint?.brokenAt) return checkpointAuditChain(merchantId, { full: true });
  const from = checkpoint?.point ?? null;
  const result = await verifyAuditChain(merchantId, { from });
  if (result.brokenAt?.reason === "checkpoint_mismatch") return checkpointAuditChain(merchantId, { full: true });
  await storeCheckpoint(merchantId, result, Boolean(options.full), from);
  return result;
}

/** The chains that have rows: a skip scan over the (merchant_id, seq) index, not a scan of the log. */
async function listAuditChains(): Promise<(string | null)[]> {
  const merchants = await db().$queryRaw<{ merchant_id: string }[]>`
    with recursive m as (
      (select merchant_id from audit_events where merchant_id is not null order by merchant_id limit 1)
      union all
      select (select merchant_id from audit_events where merchant_id > m.merchant_id order by merchant_id limit 1) from m where m.merchant_id is not null
    )
    select merchant_id from m where merchant_id is not null`;
  const platform = await db().$queryRaw<{ present: boolean }[]>`select exists (select 1 from audit_events where merchant_id is null) as present`;
  return [...(platform[0]?.present ? [null] : []), ...merchants.map((row) => row.merchant_id)];
}

/** Every chain (each merchant's and the platform chain), for the job. */
export async function checkpointAllAuditChains(options: { full?: boolean } = {}): Promise<{ chains: number; broken: number }> {
  const chains = await listAuditChains();
  let broken = 0;
  for (const merchantId of chains) if (!(await checkpointAuditChain(merchantId, options)).ok) broken++;
  return { chains: chains.length, broken };
}

/** GET /api/v1/audit/verify: a full verification (pinpoints the first broken link), stored as the checkpoint. */
export async function verifyAuditChainDto(merchantId: string) {
  const result = await checkpointAuditChain(merchantId, { full: true });
  return {
    object: "audit_chain_verification" as const,
    ok: result.ok,
    verified_count: result.verifiedCount,
    verified_up_to_seq: result.verifiedUpToSeq,
    unsealed_count: result.unsealedCount,
    broken_at: result.brokenAt ? { seq: result.brokenAt.seq, id: result.brokenAt.id, reason: result.brokenAt.reason } : null,
    checked_at: new Date().toISOString(),
  };
}
