// Back-pressure: with more background jobs due than QUEUE_BACKLOG_MAX, authenticated mutating API calls
// answer 503 `overloaded` with Retry-After; reads and unauthenticated intake (PSP webhooks) go on.
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withApi } from "@/lib/api/with-api";
import { assertQueueHasRoom, countQueueBacklog, forgetQueueBacklog } from "./backpressure";

process.env.QUEUE_BACKLOG_MAX = "20";
const QUEUE = "backpressure-test";
let boss: PgBoss;

beforeAll(async () => {
  boss = new PgBoss({ connectionString: process.env.DATABASE_URL, max: 2, schema: "pgboss", supervise: false, schedule: false });
  await boss.start();
  await boss.createQueue(QUEUE);
});
afterAll(async () => {
  await boss.stop({ graceful: false });
});

describe("queue back-pressure", () => {
  it("counts due jobs, bounded by the limit; none before pg-boss has work", async () => {
    expect(await countQueueBacklog(100)).toBe(0);
    await boss.insert(Array.from({ length: 30 }, (_, i) => ({ name: QUEUE, data: { i } })));
    // Jobs scheduled for later are not a backlog.
    await boss.send(QUEUE, { later: true }, { startAfter: 3600 });
    expect(await countQueueBacklog(100)).toBe(30);
    expect(await countQueueBacklog(10)).toBe(10);
  });

  it("refuses new work above the threshold and lets it through below", async () => {
    forgetQueueBacklog();
    await expect(assertQueueHasRoom(20)).rejects.toMatchObject({ code: "overloaded" });
    forgetQueueBacklog();
    await expect(assertQueueHasRoom(50)).resolves.toBeUndefined();
    forgetQueueBacklog();
    await expect(assertQueueHasRoom(0)).resolves.toBeUndefined();
  });

  it("answers 503 overloaded with Retry-After from authenticated mutating API calls only", async () => {
    forgetQueueBacklog();
    const route = withApi({ auth: "secret-key", scope: { resource: "transfers", access: "write" }, idempotency: "atomic" }, async () => ({ ok: true }));
    const post = await route(new Request("http://127.0.0.1/api/v1/test", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }));
    expect(post.status).toBe(503);
    expect(post.headers.get("retry-after")).toBeTruthy();
    expect((await post.json()).error.code).toBe("overloaded");

    const read = await withApi({ auth: "secret-key", scope: { resource: "transfers", access: "read" } }, async () => ({ ok: true }))(
      new Request("http://127.0.0.1/api/v1/test", { method: "GET" }),
    );
    expect(read.status).toBe(401);

    const intake = await withApi({ auth: "none" }, async () => ({ received: true }))(
      new Request("http://127.0.0.1/api/webhooks/test", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }),
    );
    expect(intake.status).toBe(200);

    // Once the worker catches up, calls go through again (here: to authentication, which this one lacks).
    await boss.purgeQueue(QUEUE);
    forgetQueueBacklog();
    const after = await route(new Request("http://127.0.0.1/api/v1/test", { method: "POST", body: "{}", headers: { "content-type": "application/json" } }));
    expect(after.status).toBe(401);
  });
});
