// The /api/v1 webhook endpoint and event routes through the real wrapper: secret shown once, scopes,
// validation, tenant isolation, event listing and filtering, test events over HTTP.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as listEndpointsRoute, POST as createEndpointRoute } from "@/app/api/v1/webhook_endpoints/route";
import { DELETE as deleteEndpointRoute, GET as getEndpointRoute, POST as updateEndpointRoute } from "@/app/api/v1/webhook_endpoints/[id]/route";
import { GET as deliveriesRoute } from "@/app/api/v1/webhook_endpoints/[id]/deliveries/route";
import { POST as rollRoute } from "@/app/api/v1/webhook_endpoints/[id]/roll_secret/route";
import { POST as testRoute } from "@/app/api/v1/webhook_endpoints/[id]/test/route";
import { GET as listEventsRoute } from "@/app/api/v1/events/route";
import { GET as getEventRoute } from "@/app/api/v1/events/[id]/route";
import { POST as resendEventRoute } from "@/app/api/v1/events/[id]/resend/route";
import { db } from "@/lib/db/client";
import { apiRequest, makeMerchant, makeRestrictedKey, routeParams } from "@/tests/fixtures";
import { enqueueMerchantEvent } from "./enqueue-merchant-event";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";
import { verifyMerchantSignature } from "./sign-payload";

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
});

async function createEndpoint(secret: string, body: unknown, idempotencyKey = crypto.randomUUID()) {
  return createEndpointRoute(apiRequest("/api/v1/webhook_endpoints", { secret, body, idempotencyKey }));
}

describe("/api/v1/webhook_endpoints", () => {
  test("create returns the secret once (and again only on an idempotent replay); reads never do", async () => {
    const { secret } = await makeMerchant();
    const response = await createEndpoint(secret, { url: receiver.url, enabled_events: ["payment.captured", "refund.succeeded"], description: "orders" }, "create-1");
    expect(response.status).toBe(200);
    const created = await response.json();
    expect(created).toMatchObject({ object: "webhook_endpoint", url: receiver.url, enabled_events: ["payment.captured", "refund.succeeded"], status: "enabled", description: "orders" });
    expect(created.secret).toMatch(/^whsec_/);

    const replay = await createEndpoint(secret, { url: receiver.url, enabled_events: ["payment.captured", "refund.succeeded"], description: "orders" }, "create-1");
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await replay.json()).id).toBe(created.id);

    const list = await (await listEndpointsRoute(apiRequest("/api/v1/webhook_endpoints", { secret }))).json();
    expect(list.data.map((e: { id: string }) => e.id)).toEqual([created.id]);
    const one = await (await getEndpointRoute(apiRequest(`/api/v1/webhook_endpoints/${created.id}`, { secret }), routeParams({ id: created.id }))).json();
    for (const body of [JSON.stringify(list), JSON.stringify(one)]) {
      expect(body).not.toContain(created.secret);
      expect(body).not.toContain("secret_encrypted");
    }
  });

  test("bad input is refused with the parameter named; nothing is created", async () => {
    const { merchantId, secret } = await makeMerchant();
    for (const [body, param] of [
      [{ url: "ftp://example.com/x", enabled_events: ["*"] }, "url"],
      [{ url: "http://10.1.1.1/x", enabled_events: ["*"] }, "url"],
      [{ url: receiver.url, enabled_events: [] }, "enabled_events"],
      [{ url: receiver.url, enabled_events: ["Payment Captured"] }, "enabled_events[0]"],
      [{ url: receiver.url, enabled_events: ["*"], secret: "whsec_mine" }, "secret"],
    ] as const) {
      const response = await createEndpoint(secret, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.param).toBe(param);
    }
    expect(await db().webhookEndpoint.count({ where: { merchantId } })).toBe(0);
  });

  test("scopes: webhooks read can list but not create; another merchant sees 404", async () => {
    const { merchantId, secret } = await makeMerchant();
    const reader = await makeRestrictedKey(merchantId, { webhooks: "read" });
    const denied = await createEndpoint(reader, { url: receiver.url, enabled_events: ["*"] });
    expect(denied.status).toBe(403);
    expect((await listEndpointsRoute(apiRequest("/api/v1/webhook_endpoints", { secret: reader }))).status).toBe(200);
    const noScope = await makeRestrictedKey(merchantId, { payments: "write" });
    expect((await listEventsRoute(apiRequest("/api/v1/events", { secret: noScope }))).status).toBe(403);

    const created = await (await createEndpoint(secret, { url: receiver.url, enabled_events: ["*"] })).json();
    const other = await makeMerchant("Other");
    const foreign = await getEndpointRoute(apiRequest(`/api/v1/webhook_endpoints/${created.id}`, { secret: other.secret }), routeParams({ id: created.id }));
    expect(foreign.status).toBe(404);
    const foreignDelete = await deleteEndpointRoute(
      apiRequest(`/api/v1/webhook_endpoints/${created.id}`, { method: "DELETE", secret: other.secret, idempotencyKey: "d1" }),
      routeParams({ id: created.id }),
    );
    expect(foreignDelete.status).toBe(404);
  });

  test("update, roll, test event (delivered, signed with the rolled secrets), delivery log, delete", async () => {
    const { secret } = await makeMerchant();
    const created = await (await createEndpoint(secret, { url: receiver.url, enabled_events: ["payment.captured"] })).json();
    const params = routeParams({ id: created.id });
    const updated = await updateEndpointRoute(
      apiRequest(`/api/v1/webhook_endpoints/${created.id}`, { secret, body: { enabled_events: ["*"], description: "all" }, idempotencyKey: "u1" }),
      params,
    );
    expect(await updated.json()).toMatchObject({ enabled_events: ["*"], description: "all" });

    const rolled = await (await rollRoute(apiRequest(`/api/v1/webhook_endpoints/${created.id}/roll_secret`, { secret, body: { expires_in_hours: 2 }, idempotencyKey: "r1" }), params)).json();
    expect(rolled.secret).toMatch(/^whsec_/);
    expect(rolled.previous_secret_expires).not.toBeNull();

    const before = receiver.requests.length;
    const testResponse = await testRoute(apiRequest(`/api/v1/webhook_endpoints/${created.id}/test`, { secret, method: "POST", idempotencyKey: "t1" }), params);
    expect(testResponse.status).toBe(200);
    const delivery = await testResponse.json();
    expect(delivery).toMatchObject({ object: "webhook_delivery", status: "succeeded", event_type: "webhook_endpoint.test" });
    const request = receiver.requests[before]!;
    const signature = String(request.headers["settle-signature"]);
    expect(verifyMerchantSignature(request.body, signature, created.secret)).toBe(true);
    expect(verifyMerchantSignature(request.body, signature, rolled.secret)).toBe(true);

    const log = await (await deliveriesRoute(apiRequest(`/api/v1/webhook_endpoints/${created.id}/deliveries`, { secret }), params)).json();
    expect(log.data[0]).toMatchObject({ id: delivery.id, attempts: [{ trigger: "test", status_code: 200, succeeded: true }] });
    expect(log.data[0].attempts[0].latency_ms).toBeGreaterThanOrEqual(0);

    const deleted = await deleteEndpointRoute(apiRequest(`/api/v1/webhook_endpoints/${created.id}`, { method: "DELETE", secret, idempotencyKey: "d1" }), params);
    expect(await deleted.json()).toEqual({ id: created.id, object: "webhook_endpoint", deleted: true });
    expect((await getEndpointRoute(apiRequest(`/api/v1/webhook_endpoints/${created.id}`, { secret }), params)).status).toBe(404);
  });
});

describe("/api/v1/events", () => {
  test("lists newest first, filters by type (exact or prefix.*), gets one, 404s across merchants, resends", async () => {
    const { merchantId, secret } = await makeMerchant();
    const ids: string[] = [];
    for (const [type, version] of [["payment.authorized", 2], ["payment.captured", 3], ["refund.succeeded", 1]] as const) {
      const { eventId } = await db().$transaction((tx) =>
        enqueueMerchantEvent(tx, { merchantId, type, objectType: type.split(".")[0]!, objectId: "pay_ev", objectVersion: version, payload: { id: "pay_ev" } }),
      );
      ids.push(eventId);
    }
    const all = await (await listEventsRoute(apiRequest("/api/v1/events", { secret }))).json();
    expect(all.data.map((e: { id: string }) => e.id)).toEqual([...ids].reverse());
    const captured = await (await listEventsRoute(apiRequest("/api/v1/events?type=payment.captured", { secret }))).json();
    expect(captured.data.map((e: { type: string; object_version: number }) => [e.type, e.object_version])).toEqual([["payment.captured", 3]]);
    const payments = await (await listEventsRoute(apiRequest("/api/v1/events?type=payment.*&limit=1", { secret }))).json();
    expect(payments).toMatchObject({ has_more: true, data: [{ type: "payment.captured" }] });

    const one = await (await getEventRoute(apiRequest(`/api/v1/events/${ids[0]}`, { secret }), routeParams({ id: ids[0]! }))).json();
    expect(one).toMatchObject({ id: ids[0], object: "event", type: "payment.authorized", object_version: 2, data: { object: { id: "pay_ev" } } });
    const other = await makeMerchant("Other");
    expect((await getEventRoute(apiRequest(`/api/v1/events/${ids[0]}`, { secret: other.secret }), routeParams({ id: ids[0]! }))).status).toBe(404);

    const endpoint = await (await createEndpoint(secret, { url: receiver.url, enabled_events: ["payment.authorized"] })).json();
    const resent = await resendEventRoute(
      apiRequest(`/api/v1/events/${ids[0]}/resend`, { secret, body: { webhook_endpoint: endpoint.id }, idempotencyKey: "rs1" }),
      routeParams({ id: ids[0]! }),
    );
    expect(resent.status).toBe(200);
    expect((await resent.json()).data[0]).toMatchObject({ status: "succeeded", event: ids[0] });
  });
});
