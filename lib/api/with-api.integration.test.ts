// The API wrapper against a real database: authentication, scopes, input errors that change nothing,
// card-data refusal, and idempotency (replay, reuse, concurrency).
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { revokeApiKey } from "@/lib/auth/api-keys";
import { recordAuditEvent } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { GET as getMerchantRoute } from "@/app/api/v1/merchant/route";
import { apiRequest, makeMerchant, makeRestrictedKey, routeParams } from "@/tests/fixtures";
import { withApi } from "./with-api";

const ZNote = z.strictObject({ text: z.string().min(1), amount: z.number().int().optional() });

// A route that writes one audit row per execution, so tests can count executions.
function noteRoute(idempotency: "atomic" | "external") {
  return withApi(
    { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZNote, idempotency },
    async ({ body, merchantId, actor, tx }) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      await recordAuditEvent({ merchantId, actor, action: "test.note", data: { text: body.text } }, idempotency === "atomic" ? tx : undefined);
      return { object: "note", text: body.text, executed_at: Date.now() };
    },
  );
}
const atomicNote = noteRoute("atomic");

async function notesWritten(merchantId: string): Promise<number> {
  return db().auditEvent.count({ where: { merchantId, action: "test.note" } });
}

describe("authentication", () => {
  test("missing, malformed, unknown and revoked keys get 401 authentication_error", async () => {
    const { merchantId, secret, apiKeyId } = await makeMerchant();
    const ok = await getMerchantRoute(apiRequest("/api/v1/merchant", { secret }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("request-id")).toMatch(/^req_/);
    expect((await ok.json()).id).toBe(merchantId);
    // The key's last use is recorded (at most once a minute), for the Developers page.
    expect((await db().apiKey.findUniqueOrThrow({ where: { id: apiKeyId } })).lastUsedAt).toBeInstanceOf(Date);

    for (const request of [
      apiRequest("/api/v1/merchant"),
      apiRequest("/api/v1/merchant", { headers: { authorization: "Basic abc" } }),
      apiRequest("/api/v1/merchant", { secret: "sk_test_" + "x".repeat(43) }),
    ]) {
      const response = await getMerchantRoute(request);
      expect(response.status).toBe(401);
      const body = await response.json();
      expect(body.error.type).toBe("authentication_error");
      expect(body.error.request_id).toBe(response.headers.get("request-id"));
    }

    await revokeApiKey({ merchantId, apiKeyId, actor: { type: "system", id: "test" } });
    const revoked = await getMerchantRoute(apiRequest("/api/v1/merchant", { secret }));
    expect(revoked.status).toBe(401);
  });

  test("a restricted key outside its scope gets 403 permission_error, inside it passes", async () => {
    const { merchantId } = await makeMerchant();
    const readOnly = await makeRestrictedKey(merchantId, { payments: "read" });
    const writer = await makeRestrictedKey(merchantId, { payments: "write" });
    const denied = await atomicNote(apiRequest("/api/v1/notes", { secret: readOnly, body: { text: "hi" }, idempotencyKey: "k1" }));
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.type).toBe("permission_error");
    const allowed = await atomicNote(apiRequest("/api/v1/notes", { secret: writer, body: { text: "hi" }, idempotencyKey: "k1" }));
    expect(allowed.status).toBe(200);
    expect(await notesWritten(merchantId)).toBe(1);
  });
});

describe("bad input gets a clear error and changes nothing", () => {
  test.each([
    ["malformed JSON", { rawBody: "{not json", headers: { "content-type": "application/json" } }, 400, "invalid_json", undefined],
    ["wrong content type", { rawBody: "text=hi", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415, "unsupported_content_type", undefined],
    ["oversize body", { body: { text: "x".repeat(300 * 1024) } }, 413, "body_too_large", undefined],
    ["unknown field", { body: { text: "hi", surprise: 1 } }, 400, "parameter_unknown", "surprise"],
    ["missing field", { body: {} }, 400, "parameter_missing", "text"],
    ["wrong type", { body: { text: 42 } }, 400, "parameter_invalid", "text"],
    ["a card number", { body: { text: "my card 4242 4242 4242 4242" } }, 400, "card_data_not_allowed", "text"],
    ["a CVC field", { body: { text: "hi", cvc: "123" } }, 400, "card_data_not_allowed", "cvc"],
  ] as const)("%s", async (_name, options, status, code, param) => {
    const { merchantId, secret } = await makeMerchant();
    const response = await atomicNote(apiRequest("/api/v1/notes", { secret, idempotencyKey: "same", ...options }));
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error.code).toBe(code);
    if (param) expect(body.error.param).toBe(param);
    expect(await notesWritten(merchantId)).toBe(0);
    // Failed validation is not stored: the same key works afterwards with a valid request.
    const later = await atomicNote(apiRequest("/api/v1/notes", { secret, idempotencyKey: "same", body: { text: "valid" } }));
    expect(later.status).toBe(200);
  });

  test("the response leaks no internal detail on an unexpected error", async () => {
    const { secret } = await makeMerchant();
    const broken = withApi({ auth: "secret-key" }, async () => {
      throw new Error("connection string postgresql://secret@db");
    });
    const response = await broken(apiRequest("/api/v1/broken", { secret }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain("postgresql");
    expect(JSON.parse(text).error.type).toBe("api_error");
  });
});

describe("idempotency", () => {
  for (const mode of ["atomic", "external"] as const) {
    test(`${mode}: a missing key is refused; a replay returns the first response byte for byte`, async () => {
      const route = noteRoute(mode);
      const { merchantId, secret } = await makeMerchant();
      const missing = await route(apiRequest("/api/v1/notes", { secret, body: { text: "a" } }));
      expect(missing.status).toBe(400);
      expect((await missing.json()).error.code).toBe("idempotency_key_missing");

      const first = await route(apiRequest("/api/v1/notes", { secret, body: { text: "a", amount: 5 }, idempotencyKey: "key-1" }));
      const firstText = await first.text();
      // Same parameters in another key order are the same request.
      const replay = await route(apiRequest("/api/v1/notes", { secret, rawBody: '{"amount":5,"text":"a"}', headers: { "content-type": "application/json" }, idempotencyKey: "key-1" }));
      expect(replay.status).toBe(first.status);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(await replay.text()).toBe(firstText);

      const reused = await route(apiRequest("/api/v1/notes", { secret, body: { text: "b" }, idempotencyKey: "key-1" }));
      expect(reused.status).toBe(422);
      expect((await reused.json()).error).toMatchObject({ type: "idempotency_error", code: "idempotency_key_reused" });
      expect(await notesWritten(merchantId)).toBe(1);
    });

    test(`${mode}: 50 concurrent requests with one key execute once`, async () => {
      const route = noteRoute(mode);
      const { merchantId, secret } = await makeMerchant();
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => route(apiRequest("/api/v1/notes", { secret, body: { text: "once" }, idempotencyKey: "burst" }))),
      );
      const statuses = responses.map((r) => r.status);
      // Every answer is the result, "in use", or (on a saturated machine) retry-safe back-pressure.
      expect(statuses.every((s) => s === 200 || s === 409 || s === 503), statuses.join(",")).toBe(true);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
      for (const response of responses.filter((r) => r.status !== 200)) {
        expect(["idempotency_key_in_use", "database_busy"]).toContain((await response.json()).error.code);
      }
      expect(await notesWritten(merchantId)).toBe(1);
      // Once finished, every retry replays.
      const after = await route(apiRequest("/api/v1/notes", { secret, body: { text: "once" }, idempotencyKey: "burst" }));
      expect(after.headers.get("idempotent-replayed")).toBe("true");
    });
  }

  test("external: a claim left in progress (the process died mid-work) answers 409 while fresh, and a retry resumes it once stale", async () => {
    let failNext = true;
    const route = withApi(
      { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZNote, idempotency: "external" },
      async ({ body, merchantId, actor }) => {
        await recordAuditEvent({ merchantId, actor, action: "test.note", data: { text: body.text } });
        if (failNext) {
          failNext = false;
          throw new Error("the process dies here"); // an unexpected error: not stored, the key stays in progress
        }
        return { object: "note", text: body.text };
      },
    );
    const { merchantId, secret } = await makeMerchant();
    const send = () => route(apiRequest("/api/v1/notes", { secret, body: { text: "resume" }, idempotencyKey: "left-behind" }));
    expect((await send()).status).toBe(500);
    const where = { merchantId, key: "left-behind" };
    // What a crash leaves: the claim in progress and still locked (the transient-error path unlocked it).
    await db().idempotencyKey.updateMany({ where, data: { lockedAt: new Date() } });
    const fresh = await send();
    expect(fresh.status).toBe(409);
    expect((await fresh.json()).error.code).toBe("idempotency_key_in_use");
    expect(await notesWritten(merchantId)).toBe(1);
    await db().idempotencyKey.updateMany({ where, data: { lockedAt: new Date(Date.now() - 120_000) } });
    const resumed = await send();
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get("idempotent-replayed")).toBeNull();
    expect(await notesWritten(merchantId)).toBe(2);
    expect(await db().idempotencyKey.findFirstOrThrow({ where })).toMatchObject({ status: "completed", lockedAt: null, responseStatus: 200 });
    expect((await send()).headers.get("idempotent-replayed")).toBe("true");
    expect(await notesWritten(merchantId)).toBe(2);
  });

  test("keys are scoped per merchant: another merchant's identical key is independent", async () => {
    const a = await makeMerchant("A");
    const b = await makeMerchant("B");
    await atomicNote(apiRequest("/api/v1/notes", { secret: a.secret, body: { text: "x" }, idempotencyKey: "shared" }));
    const other = await atomicNote(apiRequest("/api/v1/notes", { secret: b.secret, body: { text: "y" }, idempotencyKey: "shared" }));
    expect(other.status).toBe(200);
    expect(other.headers.get("idempotent-replayed")).toBeNull();
    expect(await notesWritten(b.merchantId)).toBe(1);
  });
});

describe("tenancy", () => {
  test("another merchant's resource is 404, the same as one that does not exist", async () => {
    const { POST: createAccountRoute } = await import("@/app/api/v1/accounts/route");
    const { GET: getAccountRoute } = await import("@/app/api/v1/accounts/[id]/route");
    const a = await makeMerchant("A");
    const b = await makeMerchant("B");
    const created = await createAccountRoute(
      apiRequest("/api/v1/accounts", { secret: a.secret, body: { currency: "USD", purpose: "customer_wallet" }, idempotencyKey: "acct-1" }),
    );
    expect(created.status).toBe(200);
    const account = await created.json();
    const own = await getAccountRoute(apiRequest(`/api/v1/accounts/${account.id}`, { secret: a.secret }), routeParams({ id: account.id }));
    expect(own.status).toBe(200);
    const foreign = await getAccountRoute(apiRequest(`/api/v1/accounts/${account.id}`, { secret: b.secret }), routeParams({ id: account.id }));
    expect(foreign.status).toBe(404);
    const foreignBody = await foreign.json();
    const missing = await getAccountRoute(apiRequest("/api/v1/accounts/acct_nope", { secret: b.secret }), routeParams({ id: "acct_nope" }));
    expect(missing.status).toBe(404);
    expect(foreignBody.error.code).toBe((await missing.json()).error.code);
    expect(JSON.stringify(foreignBody)).not.toContain(a.merchantId);
  });
});

test("stored responses are sealed at rest and replay byte for byte", async () => {
  const { merchantId, secret } = await makeMerchant();
  const first = await atomicNote(apiRequest("/api/v1/notes", { secret, body: { text: "private@example.com" }, idempotencyKey: "sealed" }));
  const firstText = await first.text();
  const row = await db().idempotencyKey.findFirstOrThrow({ where: { merchantId, key: "sealed" } });
  expect(row.responseBody).toMatch(/^sealed:v1:/);
  expect(row.responseBody).not.toContain("private@example.com");
  const replay = await atomicNote(apiRequest("/api/v1/notes", { secret, body: { text: "private@example.com" }, idempotencyKey: "sealed" }));
  expect(await replay.text()).toBe(firstText);
});
