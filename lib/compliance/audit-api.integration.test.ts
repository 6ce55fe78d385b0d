// The audit log's read side: GET /api/v1/audit/verify (scope reports read) and the dashboard's filtered,
// keyset-paged listing.
import { describe, expect, test } from "vitest";
import { GET as verifyRoute } from "@/app/api/v1/audit/verify/route";
import { db, sqlPool } from "@/lib/db/client";
import { createUser } from "@/lib/tenancy/manage-tenancy";
import { apiRequest, makeMerchant, makeRestrictedKey } from "@/tests/fixtures";
import { listAuditEvents, recordAuditLogAccess, ZAuditLogFilters } from "./list-audit-events";
import { recordAuditEvent } from "./record-audit-event";
import { sealAuditChain } from "./seal-audit-chain";

describe("GET /api/v1/audit/verify", () => {
  test("reports an intact chain, then the first broken link; needs reports read", async () => {
    const { merchantId, secret } = await makeMerchant();
    for (let i = 0; i < 4; i++) await recordAuditEvent({ merchantId, actor: { type: "system", id: "t" }, action: `test.${i}` });
    const reports = await makeRestrictedKey(merchantId, { reports: "read" });
    await sealAuditChain({});
    const ok = await verifyRoute(apiRequest("/api/v1/audit/verify", { secret: reports }));
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body).toMatchObject({ object: "audit_chain_verification", ok: true, unsealed_count: 0, broken_at: null });
    expect(body.verified_count).toBeGreaterThanOrEqual(5);

    const denied = await verifyRoute(apiRequest("/api/v1/audit/verify", { secret: await makeRestrictedKey(merchantId, { customers: "write" }) }));
    expect(denied.status).toBe(403);

    const victim = await db().auditEvent.findFirstOrThrow({ where: { merchantId, action: "test.2" } });
    const client = await sqlPool().connect();
    try {
      await client.query("begin");
      await client.query("alter table audit_events disable trigger audit_events_append_only");
      await client.query("update audit_events set actor_id = 'someone-else' where seq = $1", [victim.seq.toString()]);
      await client.query("alter table audit_events enable trigger audit_events_append_only");
      await client.query("commit");
    } finally {
      client.release();
    }
    const broken = await (await verifyRoute(apiRequest("/api/v1/audit/verify", { secret }))).json();
    expect(broken).toMatchObject({ ok: false, broken_at: { seq: Number(victim.seq), id: victim.id, reason: "hash_mismatch" } });
  });
});

describe("listing for the dashboard", () => {
  test("filters by actor email or id, action (exact or prefix), target and time; pages by seq", async () => {
    const { merchantId } = await makeMerchant();
    const { user } = await createUser({ merchantId, email: "ann@shop.test", name: "Ann", role: "admin", actor: { type: "system", id: "t" } });
    const ann = { type: "user" as const, id: user.id, ip: "192.0.2.1" };
    for (let i = 0; i < 5; i++) await recordAuditEvent({ merchantId, actor: ann, action: "customer.created", target: { type: "customer", id: `cus_${i}` } });
    await recordAuditEvent({ merchantId, actor: { type: "system", id: "retention" }, action: "customer.erased", target: { type: "customer", id: "cus_1" } });
    const other = await makeMerchant("Other");
    await recordAuditEvent({ merchantId: other.merchantId, actor: ann, action: "customer.created" });

    const filters = (raw: Record<string, string>) => ZAuditLogFilters.parse(raw);
    const byEmail = await listAuditEvents(merchantId, filters({ actor: "ANN@shop.test" }));
    expect(byEmail.events.map((e) => e.action)).toEqual(Array(5).fill("customer.created"));
    expect(byEmail.events[0]!.actorLabel).toBe("ann@shop.test");
    expect((await listAuditEvents(merchantId, filters({ actor: "retention" }))).events.map((e) => e.action)).toEqual(["customer.erased"]);
    expect((await listAuditEvents(merchantId, filters({ action: "customer." }))).events).toHaveLength(6);
    expect((await listAuditEvents(merchantId, filters({ action: "customer" }))).events).toHaveLength(0);
    expect((await listAuditEvents(merchantId, filters({ target: "cus_1" }))).events.map((e) => e.action)).toEqual(["customer.erased", "customer.created"]);
    expect((await listAuditEvents(merchantId, filters({ from: "2099-01-01T00:00" }))).events).toHaveLength(0);
    expect((await listAuditEvents(merchantId, filters({ to: "2000-01-01T00:00" }))).events).toHaveLength(0);
    expect((await listAuditEvents(merchantId, filters({ from: "2000-01-01T00:00", to: "2099-01-01T00:00", action: "customer." }))).events).toHaveLength(6);

    const first = await listAuditEvents(merchantId, filters({ action: "customer.", limit: "4" }));
    expect(first.events).toHaveLength(4);
    const second = await listAuditEvents(merchantId, filters({ action: "customer.", limit: "4", before: first.nextBefore! }));
    expect(second.events).toHaveLength(2);
    expect(second.nextBefore).toBeNull();
    const seqs = [...first.events, ...second.events].map((e) => BigInt(e.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => (a > b ? -1 : 1)));

    await recordAuditLogAccess({ merchantId, actor: ann, allowed: true, filters: { actor: "ann@shop.test", action: "customer." } });
    const access = await db().auditEvent.findFirstOrThrow({ where: { merchantId, action: "audit_log.viewed" } });
    expect(access.data).toEqual({ filters: ["action", "actor"] });
    expect(ZAuditLogFilters.safeParse({ before: "abc" }).success).toBe(false);
  });
});
