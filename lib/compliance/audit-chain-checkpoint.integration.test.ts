// Incremental audit-chain verification against a real database: the verifier stores a checkpoint, a page
// view verifies only the tail after it, a full verification still pinpoints the first broken link (and
// moves the checkpoint back), and a changed checkpoint row is caught on the next view.
import { describe, expect, test } from "vitest";
import { GET as verifyRoute } from "@/app/api/v1/audit/verify/route";
import { sqlPool } from "@/lib/db/client";
import { apiRequest, makeMerchant } from "@/tests/fixtures";
import { checkpointAllAuditChains, checkpointAuditChain, readAuditChainCheckpoint, verifyAuditChainIncrementally } from "./audit-chain-checkpoint";
import { recordAuditEvent, type Actor } from "./record-audit-event";
import { sealAuditChain } from "./seal-audit-chain";

const actor: Actor = { type: "system", id: "checkpoint-test" };

async function record(merchantId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await recordAuditEvent({ merchantId, actor, action: "test.event", target: { type: "thing", id: `thing_${i}` }, data: { i } });
}

async function seqsOf(merchantId: string): Promise<bigint[]> {
  const { rows } = await sqlPool().query<{ seq: bigint }>("select seq from audit_events where merchant_id = $1 order by seq", [merchantId]);
  return rows.map((row) => BigInt(row.seq));
}

async function asSuperuserWithoutTrigger(sql: string, params: unknown[]): Promise<void> {
  const client = await sqlPool().connect();
  try {
    await client.query("begin");
    await client.query("alter table audit_events disable trigger audit_events_append_only");
    await client.query(sql, params);
    await client.query("alter table audit_events enable trigger audit_events_append_only");
    await client.query("commit");
  } finally {
    client.release();
  }
}

describe("incremental verification", () => {
  test("the job stores a checkpoint; a view verifies only the newer rows; the tail can be bounded", async () => {
    const { merchantId } = await makeMerchant();
    const base = (await seqsOf(merchantId)).length; // the merchant's own creation is audited
    await record(merchantId, 6);
    await sealAuditChain({ merchantId });
    expect(await readAuditChainCheckpoint(merchantId)).toBeNull();
    const first = await verifyAuditChainIncrementally(merchantId);
    expect(first).toMatchObject({ ok: true, verifiedCount: base + 6, rowsRead: base + 6, checkpoint: null });

    const run = await checkpointAllAuditChains();
    expect(run.broken).toBe(0);
    const seqs = await seqsOf(merchantId);
    const checkpoint = await readAuditChainCheckpoint(merchantId);
    expect(checkpoint).toMatchObject({ point: { seq: seqs.at(-1), count: base + 6 }, brokenAt: null, fullVerifiedAt: null });

    await record(merchantId, 3);
    await sealAuditChain({ merchantId });
    const view = await verifyAuditChainIncrementally(merchantId);
    expect(view).toMatchObject({ ok: true, verifiedCount: base + 9, rowsRead: 3, complete: true });
    const bounded = await verifyAuditChainIncrementally(merchantId, { rowsMax: 2 });
    expect(bounded).toMatchObject({ ok: true, verifiedCount: base + 8, rowsRead: 2, complete: false });

    // The incremental job moves the checkpoint forward; the view then reads nothing.
    await checkpointAuditChain(merchantId);
    expect((await readAuditChainCheckpoint(merchantId))!.point).toMatchObject({ seq: (await seqsOf(merchantId)).at(-1), count: base + 9 });
    expect(await verifyAuditChainIncrementally(merchantId)).toMatchObject({ ok: true, verifiedCount: base + 9, rowsRead: 0 });
  });

  test("a row edited before the checkpoint: the full verify (API) pinpoints it, moves the checkpoint back, and views show it", async () => {
    const { merchantId, secret } = await makeMerchant();
    await record(merchantId, 8);
    await sealAuditChain({ merchantId });
    await checkpointAuditChain(merchantId, { full: true });
    const seqs = await seqsOf(merchantId);
    const victim = seqs[3]!;
    await asSuperuserWithoutTrigger("update audit_events set action = 'test.innocent' where seq = $1", [victim.toString()]);
    // A view trusts the checkpoint for the rows before it: the tail is empty and the checkpoint row is unchanged.
    expect((await verifyAuditChainIncrementally(merchantId)).ok).toBe(true);

    const api = await (await verifyRoute(apiRequest("/api/v1/audit/verify", { secret }))).json();
    expect(api).toMatchObject({ ok: false, verified_count: 3, broken_at: { seq: Number(victim), reason: "hash_mismatch" } });
    const checkpoint = await readAuditChainCheckpoint(merchantId);
    expect(checkpoint).toMatchObject({ point: { seq: seqs[2], count: 3 }, brokenAt: { seq: victim, reason: "hash_mismatch" } });
    expect(checkpoint!.fullVerifiedAt).toBeInstanceOf(Date);

    const view = await verifyAuditChainIncrementally(merchantId);
    expect(view).toMatchObject({ ok: false, verifiedUpToSeq: seqs[2], brokenAt: { seq: victim, reason: "hash_mismatch" } });
    // The incremental job does not paper over it: with a break recorded it verifies in full again.
    expect(await checkpointAuditChain(merchantId)).toMatchObject({ ok: false, brokenAt: { seq: victim } });
    expect((await readAuditChainCheckpoint(merchantId))!.brokenAt).toMatchObject({ seq: victim });
  });

  test("the checkpoint row itself edited: the next view reports it; the job falls back to a full verify and pinpoints it", async () => {
    const { merchantId } = await makeMerchant();
    await record(merchantId, 5);
    await sealAuditChain({ merchantId });
    await checkpointAuditChain(merchantId);
    const seqs = await seqsOf(merchantId);
    const head = seqs.at(-1)!;
    await asSuperuserWithoutTrigger("update audit_events set hash = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' where seq = $1", [head.toString()]);
    expect(await verifyAuditChainIncrementally(merchantId)).toMatchObject({ ok: false, brokenAt: { seq: head, reason: "checkpoint_mismatch" } });
    expect(await checkpointAuditChain(merchantId)).toMatchObject({ ok: false, verifiedUpToSeq: seqs.at(-2), brokenAt: { seq: head, reason: "hash_mismatch" } });
    expect(await readAuditChainCheckpoint(merchantId)).toMatchObject({ point: { seq: seqs.at(-2), count: seqs.length - 1 }, brokenAt: { seq: head } });
  });
});
