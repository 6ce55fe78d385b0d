// The reconciliation API through its route handlers: report upload (streamed CSV with the period taken
// from its dates, or JSON), runs (create against the sandbox, list, get with filters), CSV export,
// resolve (idempotent), scopes, validation errors and another merchant's objects.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as resolveRoute } from "@/app/api/v1/reconciliation/discrepancies/[id]/resolve/route";
import { POST as reportsRoute } from "@/app/api/v1/reconciliation/reports/route";
import { GET as exportRoute } from "@/app/api/v1/reconciliation/runs/[id]/discrepancies.csv/route";
import { GET as getRunRoute } from "@/app/api/v1/reconciliation/runs/[id]/route";
import { GET as listRunsRoute, POST as createRunRoute } from "@/app/api/v1/reconciliation/runs/route";
import { startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { apiRequest, makeMerchant, makeRestrictedKey, routeParams } from "@/tests/fixtures";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };
let other: { merchantId: string; secret: string };

beforeAll(async () => {
  h = await startPaymentsHarness();
  merchant = await makeMerchant("Recon routes");
  other = await makeMerchant("Recon routes, other");
});
afterAll(async () => {
  await h?.close();
});

const CSV = [
  "balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description",
  "txn_r01,2026-03-04 10:00:00,2026-03-06 00:00:00,usd,12.34,0.00,12.34,other_adjustment,,Adjustment",
  "txn_r02,2026-03-05 23:59:59,2026-03-07 00:00:00,usd,20.00,0.88,19.12,charge,ch_unknown,\"Payment, unknown to Settle\"",
].join("\n");

let keyCounter = 0;
async function json(response: Promise<Response>): Promise<{ status: number; body: any; headers: Headers }> {
  const r = await response;
  return { status: r.status, body: await r.json(), headers: r.headers };
}

let runId: string;

describe("report upload", () => {
  test("text/csv without a period: the period is the UTC days of the report's first and last rows", async () => {
    const request = new Request("http://localhost:3000/api/v1/reconciliation/reports?filename=march.csv", {
      method: "POST",
      headers: { authorization: `Bearer ${merchant.secret}`, "content-type": "text/csv" },
      body: CSV,
    });
    const { status, body } = await json(reportsRoute(request, routeParams({})));
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({
      object: "reconciliation_run", state: "completed", source: "report", report_filename: "march.csv", version: 1, current: true,
      period_start: "2026-03-04T00:00:00.000Z", period_end: "2026-03-06T00:00:00.000Z",
      psp_record_count: 2, discrepancy_count: 2, unexplained_count: 2,
    });
    runId = body.id;
  });

  test("JSON with an explicit period keeps it; a bad CSV is a 400 naming the line and leaves no run", async () => {
    const ok = await json(reportsRoute(apiRequest("/api/v1/reconciliation/reports", { secret: merchant.secret, body: { csv: CSV, period_start: "2026-03-04", period_end: "2026-03-05" } }), routeParams({})));
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ period_start: "2026-03-04T00:00:00.000Z", period_end: "2026-03-05T00:00:00.000Z", psp_record_count: 1 });

    const before = await json(listRunsRoute(apiRequest("/api/v1/reconciliation/runs?limit=100", { secret: merchant.secret }), routeParams({})));
    const bad = await json(reportsRoute(apiRequest("/api/v1/reconciliation/reports", { secret: merchant.secret, body: { csv: CSV.replace("12.34,0.00", "12.3x,0.00") } }), routeParams({})));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "parameter_invalid", param: "csv line 2, gross" });
    const after = await json(listRunsRoute(apiRequest("/api/v1/reconciliation/runs?limit=100", { secret: merchant.secret }), routeParams({})));
    expect(after.body.data).toHaveLength(before.body.data.length);

    const tooLong = await json(reportsRoute(apiRequest("/api/v1/reconciliation/reports", { secret: merchant.secret, body: { csv: CSV.replace("2026-03-05 23:59:59", "2026-05-05 23:59:59") } }), routeParams({})));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.param).toBe("period_end");
  });
});

describe("runs", () => {
  test("get with filters, list, CSV export", async () => {
    const all = await json(getRunRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}`, { secret: merchant.secret }), routeParams({ id: runId })));
    expect(all.status).toBe(200);
    expect(all.body.discrepancies.data.map((d: any) => [d.class, d.balance_transaction, d.difference]).sort()).toEqual([
      ["missing_in_settle", "txn_r01", 1234],
      ["missing_in_settle", "txn_r02", 1912],
    ]);
    expect(all.body.totals).toEqual([expect.objectContaining({ currency: "USD", psp_count: 2, psp_net: "3146", psp_unexplained: "0" })]);

    const none = await json(getRunRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}?class=fee_mismatch`, { secret: merchant.secret }), routeParams({ id: runId })));
    expect(none.body.discrepancies.data).toEqual([]);
    const invalid = await json(getRunRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}?class=bogus`, { secret: merchant.secret }), routeParams({ id: runId })));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.param).toBe("class");

    const list = await json(listRunsRoute(apiRequest("/api/v1/reconciliation/runs?limit=1", { secret: merchant.secret }), routeParams({})));
    expect(list.body).toMatchObject({ object: "list", has_more: true });

    const csv = await exportRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}/discrepancies.csv`, { secret: merchant.secret }), routeParams({ id: runId }));
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toMatch(/^id,class,leg,status,/);
    expect(lines).toHaveLength(3);
  });

  test("create: validation, then a run against the sandbox for a quiet day completes empty", async () => {
    const post = (body: unknown, secret = merchant.secret) =>
      json(createRunRoute(apiRequest("/api/v1/reconciliation/runs", { secret, body, idempotencyKey: `run-${++keyCounter}-${Date.now()}` }), routeParams({})));
    const backwards = await post({ period_start: "2026-03-05", period_end: "2026-03-04" });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.param).toBe("period_end");
    const tooLong = await post({ period_start: "2026-01-01", period_end: "2026-03-01" });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.param).toBe("period_end");
    const unknown = await post({ period_start: "2026-01-01", merchant: other.merchantId });
    expect(unknown.status).toBe(400);

    const created = await post({ period_start: "2025-01-01", currency: "EUR" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ state: "completed", currency: "EUR", period_start: "2025-01-01T00:00:00.000Z", period_end: "2025-01-02T00:00:00.000Z", psp_record_count: 0, discrepancy_count: 0 });
  });

  test("scopes and tenancy: read-only keys read but cannot write; another merchant's run is a 404", async () => {
    const readOnly = await makeRestrictedKey(merchant.merchantId, { reports: "read" });
    expect((await getRunRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}`, { secret: readOnly }), routeParams({ id: runId }))).status).toBe(200);
    const denied = await json(createRunRoute(apiRequest("/api/v1/reconciliation/runs", { secret: readOnly, body: {}, idempotencyKey: "ro-1" }), routeParams({})));
    expect(denied.status).toBe(403);
    expect(denied.body.error.type).toBe("permission_error");

    const foreign = await json(getRunRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}`, { secret: other.secret }), routeParams({ id: runId })));
    expect(foreign.status).toBe(404);
    const foreignCsv = await exportRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}/discrepancies.csv`, { secret: other.secret }), routeParams({ id: runId }));
    expect(foreignCsv.status).toBe(404);
  });
});

describe("resolve", () => {
  test("accept with a note (replayed by key), another merchant gets 404, a missing note is a 400", async () => {
    const run = await json(getRunRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}?class=missing_in_settle&status=open`, { secret: merchant.secret }), routeParams({ id: runId })));
    const target = run.body.discrepancies.data.find((d: any) => d.balance_transaction === "txn_r01");
    const path = `/api/v1/reconciliation/discrepancies/${target.id}/resolve`;
    const resolve = (body: unknown, idempotencyKey: string, secret = merchant.secret) =>
      json(resolveRoute(apiRequest(path, { secret, body, idempotencyKey }), routeParams({ id: target.id })));

    const noNote = await resolve({ action: "accept" }, "res-0");
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.param).toBe("note");
    const foreign = await resolve({ action: "accept", note: "not mine" }, "res-x", other.secret);
    expect(foreign.status).toBe(404);

    const first = await resolve({ action: "accept", note: "bank fee refund, expected" }, "res-1");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: target.id, status: "resolved", resolution: "accept", resolution_note: "bank fee refund, expected" });
    const replay = await resolve({ action: "accept", note: "bank fee refund, expected" }, "res-1");
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);

    const after = await json(getRunRoute(apiRequest(`/api/v1/reconciliation/runs/${runId}?status=open`, { secret: merchant.secret }), routeParams({ id: runId })));
    expect(after.body.unexplained_count).toBe(1);
    expect(after.body.discrepancies.data.map((d: any) => d.balance_transaction)).toEqual(["txn_r02"]);
  });
});
