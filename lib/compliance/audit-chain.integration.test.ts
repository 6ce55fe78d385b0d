// The tamper-evident audit log against a real database: sealing per merchant in seq order, detection of
// an edited or deleted row at exactly the first broken link, the append-only trigger, and a sealer that
// never chains past a transaction still holding an earlier seq.
import { describe, expect, test } from "vitest";
import { db, sqlPool } from "@/lib/db/client";
import { makeMerchant } from "@/tests/fixtures";
import { AUDIT_GENESIS_HASH } from "./audit-chain-hash";
import { recordAuditEvent, type Actor } from "./record-audit-event";
import { sealAuditChain } from "./seal-audit-chain";
import { getAuditChainHead, parseChainAnchor, runAuditVerifyCommand, verifyAllAuditChains, verifyAuditChain } from "./verify-audit-chain";

const actor: Actor = { type: "system", id: "audit-test" };

async function record(merchantId: string | null, count: number, action = "test.event"): Promise<void> {
  for (let i = 0; i < count; i++) await recordAuditEvent({ merchantId, actor, action, target: { type: "thing", id: `thing_${i}` }, data: { i, big: 12345678901234567890n.toString() } });
}

async function rowsOf(merchantId: string) {
  return db().auditEvent.findMany({ where: { merchantId }, orderBy: { seq: "asc" }, select: { seq: true, id: true, prevHash: true, hash: true } });
}

/** What a superuser can do and the application cannot: bypass the append-only trigger. */
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

describe("sealing", () => {
  test("chains each merchant's rows in seq order from the genesis value; verification passes", async () => {
    const a = await makeMerchant("A");
    const b = await makeMerchant("B");
    await record(a.merchantId, 5);
    await record(b.merchantId, 3);
    await record(null, 2, "user.sign_in_failed");
    await record(a.merchantId, 2);

    const before = await verifyAuditChain(a.merchantId);
    expect(before).toMatchObject({ ok: true, verifiedCount: 0, verifiedUpToSeq: null });
    expect(before.unsealedCount).toBeGreaterThanOrEqual(7);

    const result = await sealAuditChain({ batchSize: 4 });
    expect(result.busy).toBe(false);
    expect(result.sealed).toBeGreaterThanOrEqual(12);

    const rows = await rowsOf(a.merchantId);
    expect(rows[0]!.prevHash).toBe(AUDIT_GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    for (const row of rows) expect(row.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);

    for (const merchantId of [a.merchantId, b.merchantId, null]) {
      const verification = await verifyAuditChain(merchantId);
      expect(verification.ok, JSON.stringify(verification, (_k, v) => (typeof v === "bigint" ? v.toString() : v))).toBe(true);
      expect(verification.unsealedCount).toBe(0);
    }
    expect((await verifyAuditChain(a.merchantId)).verifiedCount).toBe(rows.length);

    // Sealing again finds nothing; new rows extend the existing chain.
    expect((await sealAuditChain({ batchSize: 100 })).sealed).toBe(0);
    await record(a.merchantId, 1);
    expect((await sealAuditChain({ merchantId: a.merchantId, batchSize: 10 })).sealed).toBe(1);
    const extended = await rowsOf(a.merchantId);
    expect(extended.at(-1)!.prevHash).toBe(rows.at(-1)!.hash);
    expect((await verifyAuditChain(a.merchantId)).ok).toBe(true);
    // The global pass skips what the per-merchant pass sealed.
    expect((await sealAuditChain({})).sealed).toBe(0);
  });

  test("a transaction holding an earlier seq blocks the horizon, so the chain never skips it", async () => {
    const { merchantId } = await makeMerchant();
    await sealAuditChain({});
    const client = await sqlPool().connect();
    try {
      // An open transaction draws a seq (through the same insert path the application uses) ...
      await client.query("begin");
      const { recordAuditEventSql } = await import("./record-audit-event");
      await recordAuditEventSql(client, { merchantId, actor, action: "test.slow" });
      // ... while a later row commits.
      await recordAuditEvent({ merchantId, actor, action: "test.fast" });
      const whileOpen = await sealAuditChain({});
      expect(whileOpen.sealed).toBe(0);
      await client.query("commit");
    } finally {
      client.release();
    }
    expect((await sealAuditChain({})).sealed).toBe(2);
    const verification = await verifyAuditChain(merchantId);
    expect(verification.ok).toBe(true);
    expect(verification.unsealedCount).toBe(0);
  });

  test("concurrent writers and repeated sealing still give intact chains", async () => {
    const merchants = await Promise.all([makeMerchant("C1"), makeMerchant("C2"), makeMerchant("C3")]);
    let writing = true;
    const sealer = (async () => {
      while (writing) {
        await sealAuditChain({ batchSize: 7 });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(
      Array.from({ length: 12 }, async (_, worker) => {
        for (let i = 0; i < 10; i++) {
          const merchantId = merchants[(worker + i) % 3]!.merchantId;
          if (i % 3 === 0) {
            // Some rows are written inside longer transactions, some roll back (leaving seq gaps).
            await db()
              .$transaction(async (tx) => {
                await recordAuditEvent({ merchantId, actor, action: "test.tx" }, tx);
                await new Promise((resolve) => setTimeout(resolve, 10));
                if (i % 2 === 0) throw new Error("rollback");
              })
              .catch(() => {});
          } else {
            await recordAuditEvent({ merchantId, actor, action: "test.concurrent" });
          }
        }
      }),
    );
    writing = false;
    await sealer;
    await sealAuditChain({ batchSize: 50 });
    for (const { merchantId } of merchants) {
      const verification = await verifyAuditChain(merchantId);
      expect(verification.ok).toBe(true);
      expect(verification.unsealedCount).toBe(0);
    }
  });
});

describe("tampering is detected at exactly the first broken link", () => {
  test("an edited row breaks at that row", async () => {
    const { merchantId } = await makeMerchant();
    await record(merchantId, 8);
    await sealAuditChain({});
    const rows = await rowsOf(merchantId);
    const victim = rows[5]!;
    await asSuperuserWithoutTrigger("update audit_events set action = 'test.innocent' where seq = $1", [victim.seq.toString()]);
    const verification = await verifyAuditChain(merchantId);
    expect(verification.ok).toBe(false);
    expect(verification.brokenAt).toEqual({ seq: victim.seq, id: victim.id, reason: "hash_mismatch" });
    expect(verification.verifiedUpToSeq).toBe(rows[4]!.seq);
    expect(verification.verifiedCount).toBe(5);

    const lines: string[] = [];
    expect(await runAuditVerifyCommand({ merchantId }, (line) => lines.push(line))).toBe(1);
    expect(lines.join("\n")).toContain(`seq ${victim.seq} (${victim.id})`);
    expect((await verifyAllAuditChains()).filter((chain) => !chain.ok).map((chain) => chain.merchantId)).toEqual([merchantId]);
  });

  test("an edited jsonb value, even beyond float precision, breaks at that row", async () => {
    const { merchantId } = await makeMerchant();
    await record(merchantId, 1);
    await recordAuditEvent({ merchantId, actor, action: "test.amount", data: { amount: 9007199254740992 } });
    await record(merchantId, 2);
    await sealAuditChain({});
    const [, victim] = await rowsOf(merchantId);
    // 2^53 + 1 parses to the same JavaScript number as 2^53: only hashing jsonb's own text catches this.
    await asSuperuserWithoutTrigger(`update audit_events set data = '{"amount": 9007199254740993}'::jsonb where seq = $1`, [victim!.seq.toString()]);
    expect((await verifyAuditChain(merchantId)).brokenAt).toMatchObject({ seq: victim!.seq, reason: "hash_mismatch" });
  });

  test("a deleted row breaks at the row after it; a re-hashed edit breaks at the next link", async () => {
    const { merchantId } = await makeMerchant();
    await record(merchantId, 6);
    await sealAuditChain({});
    const rows = await rowsOf(merchantId);
    await asSuperuserWithoutTrigger("delete from audit_events where seq = $1", [rows[2]!.seq.toString()]);
    expect((await verifyAuditChain(merchantId)).brokenAt).toEqual({ seq: rows[3]!.seq, id: rows[3]!.id, reason: "prev_hash_mismatch" });

    const other = await makeMerchant();
    await record(other.merchantId, 4);
    await sealAuditChain({});
    const otherRows = await rowsOf(other.merchantId);
    // A forger who edits row 1 and recomputes its hash correctly is still caught at row 2.
    const { auditRowHash, AUDIT_ROW_COLUMNS } = await import("./audit-chain-hash");
    await asSuperuserWithoutTrigger("update audit_events set action = 'test.forged' where seq = $1", [otherRows[1]!.seq.toString()]);
    const { rows: [forged] } = await sqlPool().query(`select ${AUDIT_ROW_COLUMNS} from audit_events where seq = $1`, [otherRows[1]!.seq.toString()]);
    await asSuperuserWithoutTrigger("update audit_events set hash = $2 where seq = $1", [otherRows[1]!.seq.toString(), auditRowHash(forged, forged.prev_hash)]);
    expect((await verifyAuditChain(other.merchantId)).brokenAt).toEqual({ seq: otherRows[2]!.seq, id: otherRows[2]!.id, reason: "prev_hash_mismatch" });
  });

  test("a forger who rewrites a row and every hash after it passes the bare chain, not an anchor", async () => {
    const { merchantId } = await makeMerchant();
    await record(merchantId, 5);
    await sealAuditChain({});
    const anchor = (await getAuditChainHead(merchantId))!;
    const rows = await rowsOf(merchantId);
    expect(anchor).toEqual({ seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash });
    const { auditRowHash, AUDIT_ROW_COLUMNS } = await import("./audit-chain-hash");
    await asSuperuserWithoutTrigger("update audit_events set action = 'test.rewritten' where seq = $1", [rows[2]!.seq.toString()]);
    let prev = rows[1]!.hash!;
    for (const row of rows.slice(2)) {
      const { rows: [raw] } = await sqlPool().query(`select ${AUDIT_ROW_COLUMNS} from audit_events where seq = $1`, [row.seq.toString()]);
      const hash = auditRowHash(raw, prev);
      await asSuperuserWithoutTrigger("update audit_events set prev_hash = $2, hash = $3 where seq = $1", [row.seq.toString(), prev, hash]);
      prev = hash;
    }
    expect((await verifyAuditChain(merchantId)).ok).toBe(true);
    const anchored = await verifyAuditChain(merchantId, { anchors: [anchor] });
    expect(anchored.brokenAt).toEqual({ seq: anchor.seq, id: rows.at(-1)!.id, reason: "anchor_mismatch" });
    const lines: string[] = [];
    expect(await runAuditVerifyCommand({ merchantId, anchors: [parseChainAnchor(`${anchor.seq}:${anchor.hash}`)] }, (line) => lines.push(line))).toBe(1);
    expect(lines[0]).toContain("anchor_mismatch");
    expect(() => parseChainAnchor("12:nothex")).toThrow(/<seq>:<hash>/);
  });

  test("an unsealed row followed by sealed ones is reported", async () => {
    const { merchantId } = await makeMerchant();
    await record(merchantId, 3);
    await sealAuditChain({});
    const rows = await rowsOf(merchantId);
    await asSuperuserWithoutTrigger("update audit_events set hash = null, prev_hash = null where seq = $1", [rows[1]!.seq.toString()]);
    expect((await verifyAuditChain(merchantId)).brokenAt).toEqual({ seq: rows[1]!.seq, id: rows[1]!.id, reason: "unsealed_before_sealed" });
  });
});

describe("the database keeps the log append-only", () => {
  test("UPDATE, DELETE and TRUNCATE are rejected, sealed or not; only the one-time seal is allowed", async () => {
    const { merchantId } = await makeMerchant();
    await record(merchantId, 2);
    const [unsealed] = await rowsOf(merchantId);
    const pool = sqlPool();
    const seq = unsealed!.seq.toString();
    await expect(pool.query("update audit_events set action = 'x' where seq = $1", [seq])).rejects.toThrow(/append-only: UPDATE rejected/);
    await expect(pool.query("delete from audit_events where seq = $1", [seq])).rejects.toThrow(/append-only: DELETE rejected/);
    await expect(pool.query("truncate audit_events")).rejects.toThrow(/append-only/);
    // A seal that also changes content is refused.
    await expect(pool.query("update audit_events set hash = 'h', action = 'x' where seq = $1", [seq])).rejects.toThrow(/UPDATE rejected/);

    await sealAuditChain({});
    const [sealed] = await rowsOf(merchantId);
    await expect(pool.query("update audit_events set hash = 'other' where seq = $1", [sealed!.seq.toString()])).rejects.toThrow(/UPDATE rejected/);
    await expect(pool.query("update audit_events set prev_hash = 'other' where seq = $1", [sealed!.seq.toString()])).rejects.toThrow(/UPDATE rejected/);
    await expect(pool.query("delete from audit_events where merchant_id = $1", [merchantId])).rejects.toThrow(/DELETE rejected/);
    expect((await verifyAuditChain(merchantId)).ok).toBe(true);
  });
});
