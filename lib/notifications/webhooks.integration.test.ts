// Merchant webhooks against a real PostgreSQL and a real HTTP receiver on 127.0.0.1: the outbox commits
// with the caller's transaction, deliveries are signed and verifiable, retried with back-off, given up
// after 3 days (injectable clock), filtered per endpoint, signed with both secrets during a roll.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { db } from "@/lib/db/client";
import { makeMerchant } from "@/tests/fixtures";
import { DELIVERY_HORIZON_MS } from "./delivery-schedule";
import { deliverDueWebhooks } from "./deliver-webhooks";
import { enqueueMerchantEvent } from "./enqueue-merchant-event";
import { createWebhookEndpoint, deleteWebhookEndpoint, rollWebhookEndpointSecret, updateWebhookEndpoint } from "./manage-webhook-endpoints";
import { resendDelivery, resendEvent, sendTestEvent } from "./resend-webhooks";
import { verifyMerchantSignature } from "./sign-payload";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";

const actor = { type: "system", id: "test" } as const;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
});
// Tests share the file's database; deliveries a previous test left pending must not be claimed by the next.
beforeEach(async () => {
  await db().webhookDelivery.updateMany({ where: { status: "pending" }, data: { status: "failed", nextAttemptAt: null } });
});

/** A fresh receiver per test where the test counts requests. */
async function withReceiver<T>(work: (receiver: WebhookReceiver) => Promise<T>, defaultStatus = 200): Promise<T> {
  const own = await startWebhookReceiver({ defaultStatus });
  try {
    return await work(own);
  } finally {
    await own.close();
  }
}

async function emit(merchantId: string, type = "payment.captured", objectId = "pay_test", objectVersion = 1, at = new Date()) {
  return db().$transaction((tx) =>
    enqueueMerchantEvent(tx, { merchantId, type, objectType: type.split(".")[0]!, objectId, objectVersion, payload: { id: objectId, object: "payment", amount: 1250n, status: "captured" } }, at),
  );
}

function header(request: { headers: Record<string, string | string[] | undefined> }): string {
  return String(request.headers["settle-signature"]);
}

describe("the transactional outbox", () => {
  test("an event and its deliveries commit with the caller's transaction, and vanish when it rolls back", async () => {
    const { merchantId } = await makeMerchant();
    const endpoint = await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["*"] });

    await expect(
      db().$transaction(async (tx) => {
        await enqueueMerchantEvent(tx, { merchantId, type: "payment.captured", objectType: "payment", objectId: "pay_rolled_back", objectVersion: 2, payload: {} });
        throw new Error("the payment update failed");
      }),
    ).rejects.toThrow("the payment update failed");
    expect(await db().merchantEvent.count({ where: { merchantId } })).toBe(0);
    expect(await db().webhookDelivery.count({ where: { merchantId } })).toBe(0);

    const { eventId } = await emit(merchantId);
    const event = await db().merchantEvent.findUniqueOrThrow({ where: { id: eventId } });
    expect(event).toMatchObject({ merchantId, type: "payment.captured", objectVersion: 1 });
    // bigint amounts become JSON numbers in the stored payload.
    expect(event.payload).toMatchObject({ amount: 1250 });
    const deliveries = await db().webhookDelivery.findMany({ where: { eventId } });
    expect(deliveries.map((d) => [d.endpointId, d.status])).toEqual([[endpoint.id, "pending"]]);
  });

  test("events in one transaction share one endpoint look-up, filtered per type, and see endpoint changes made in that transaction", async () => {
    const { merchantId } = await makeMerchant();
    const captured = await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["payment.captured"] });
    const ids = await db().$transaction(async (tx) => {
      const first = await enqueueMerchantEvent(tx, { merchantId, type: "payment.captured", objectType: "payment", objectId: "pay_memo", objectVersion: 1, payload: {} });
      const failed = await enqueueMerchantEvent(tx, { merchantId, type: "payment.failed", objectType: "payment", objectId: "pay_memo", objectVersion: 2, payload: {} });
      // An endpoint registered in the same transaction receives the events enqueued after it.
      const all = await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["*"] }, tx);
      const after = await enqueueMerchantEvent(tx, { merchantId, type: "payment.captured", objectType: "payment", objectId: "pay_memo", objectVersion: 3, payload: {} });
      // And one deleted in it no longer does.
      await deleteWebhookEndpoint({ merchantId, id: captured.id, actor }, tx);
      const last = await enqueueMerchantEvent(tx, { merchantId, type: "payment.captured", objectType: "payment", objectId: "pay_memo", objectVersion: 4, payload: {} });
      return { first: first.eventId, failed: failed.eventId, after: after.eventId, last: last.eventId, all: all.id };
    });
    const endpointsOf = async (eventId: string) =>
      (await db().webhookDelivery.findMany({ where: { eventId }, select: { endpointId: true } })).map((d) => d.endpointId).sort();
    expect(await endpointsOf(ids.first)).toEqual([captured.id]);
    expect(await endpointsOf(ids.failed)).toEqual([]);
    expect(await endpointsOf(ids.after)).toEqual([captured.id, ids.all].sort());
    expect(await endpointsOf(ids.last)).toEqual([ids.all]);
  });

  test("a malformed event type or version is a programmer error, refused before anything is written", async () => {
    const { merchantId } = await makeMerchant();
    await expect(
      db().$transaction((tx) => enqueueMerchantEvent(tx, { merchantId, type: "PaymentCaptured", objectType: "payment", objectId: "pay_1", objectVersion: 1, payload: {} })),
    ).rejects.toThrow(/event type/);
    await expect(
      db().$transaction((tx) => enqueueMerchantEvent(tx, { merchantId, type: "payment.captured", objectType: "payment", objectId: "pay_1", objectVersion: 0, payload: {} })),
    ).rejects.toThrow(/objectVersion/);
    expect(await db().merchantEvent.count({ where: { merchantId } })).toBe(0);
  });
});

describe("delivery and signatures", () => {
  test("the event is POSTed as JSON, signed; the signature verifies, and fails when tampered or too old", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      const endpoint = await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["payment.captured"] });
      expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const now = new Date("2026-11-26T12:00:00.000Z");
      const { eventId } = await emit(merchantId, "payment.captured", "pay_sig", 3, now);

      const outcomes = await deliverDueWebhooks({ now: () => now });
      expect(outcomes.map((o) => o.status)).toEqual(["succeeded"]);
      const [request] = await receiver.waitFor(1);
      expect(request!.method).toBe("POST");
      expect(request!.headers["content-type"]).toMatch(/^application\/json/);
      expect(request!.headers["settle-event-id"]).toBe(eventId);
      const body = JSON.parse(request!.body);
      expect(body).toMatchObject({ id: eventId, object: "event", type: "payment.captured", object_version: 3, data: { object_id: "pay_sig", object: { id: "pay_sig", amount: 1250 } } });

      const signature = header(request!);
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      const t = Number(signature.match(/t=(\d+)/)![1]);
      expect(t).toBe(now.getTime() / 1000);
      expect(verifyMerchantSignature(request!.body, signature, endpoint.secret, 300, t + 10)).toBe(true);
      expect(verifyMerchantSignature(request!.body, signature, endpoint.secret, 300, t + 300)).toBe(true);
      expect(verifyMerchantSignature(request!.body, signature, endpoint.secret, 300, t + 301)).toBe(false);
      expect(verifyMerchantSignature(request!.body.replace("1250", "9250"), signature, endpoint.secret, 300, t)).toBe(false);
      expect(verifyMerchantSignature(request!.body, signature, "whsec_wrong", 300, t)).toBe(false);
      expect(verifyMerchantSignature(request!.body, signature.replace(/t=\d+/, `t=${t + 1}`), endpoint.secret, 300, t)).toBe(false);

      const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { eventId }, include: { attempts: true } });
      expect(delivery).toMatchObject({ status: "succeeded", attemptCount: 1, lastStatusCode: 200 });
      expect(delivery.deliveredAt?.toISOString()).toBe(now.toISOString());
      expect(delivery.attempts).toHaveLength(1);
      expect(delivery.attempts[0]).toMatchObject({ attemptNumber: 1, trigger: "automatic", succeeded: true, statusCode: 200, error: null });
      expect(delivery.attempts[0]!.responseExcerpt).toContain('"received":true');

      // Delivered means done: nothing is claimed again.
      expect(await deliverDueWebhooks({ now: () => new Date(now.getTime() + HOUR) })).toEqual([]);
      expect(receiver.requests).toHaveLength(1);
    });
  });

  test("concurrent workers claim each due delivery once (SKIP LOCKED + lease)", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["*"] });
      for (let i = 0; i < 12; i++) await emit(merchantId, "payment.captured", `pay_c${i}`, 1);
      const rounds = await Promise.all(Array.from({ length: 6 }, () => deliverDueWebhooks({ batchSize: 3 })));
      const more = await deliverDueWebhooks({ batchSize: 100 });
      const claimed = [...rounds.flat(), ...more].map((o) => o.deliveryId);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed).toHaveLength(12);
      expect(receiver.requests).toHaveLength(12);
      const attempts = await db().webhookDelivery.findMany({ where: { merchantId }, select: { attemptCount: true, status: true } });
      expect(attempts.every((d) => d.attemptCount === 1 && d.status === "succeeded")).toBe(true);
    });
  });

  test("a 500 is retried with back-off (1 min, then 5 min) until a 2xx", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["*"] });
      const t0 = new Date("2026-11-26T12:00:00.000Z");
      const { eventId } = await emit(merchantId, "payment.failed", "pay_retry", 2, t0);
      receiver.respondWith(500, 503);

      expect((await deliverDueWebhooks({ now: () => t0 }))[0]).toMatchObject({ succeeded: false, statusCode: 500, status: "pending" });
      let delivery = await db().webhookDelivery.findFirstOrThrow({ where: { eventId } });
      expect(delivery.nextAttemptAt?.toISOString()).toBe(new Date(t0.getTime() + MINUTE).toISOString());
      expect(delivery.lastError).toBe("HTTP 500.");

      // Not yet due.
      expect(await deliverDueWebhooks({ now: () => new Date(t0.getTime() + 59_000) })).toEqual([]);
      const t1 = new Date(t0.getTime() + MINUTE);
      expect((await deliverDueWebhooks({ now: () => t1 }))[0]).toMatchObject({ statusCode: 503, status: "pending" });
      delivery = await db().webhookDelivery.findFirstOrThrow({ where: { eventId } });
      expect(delivery.nextAttemptAt?.toISOString()).toBe(new Date(t1.getTime() + 5 * MINUTE).toISOString());

      const t2 = new Date(t1.getTime() + 5 * MINUTE);
      expect((await deliverDueWebhooks({ now: () => t2 }))[0]).toMatchObject({ succeeded: true, statusCode: 200, status: "succeeded" });
      const attempts = await db().webhookDeliveryAttempt.findMany({ where: { eventId }, orderBy: { id: "asc" } });
      expect(attempts.map((a) => [a.attemptNumber, a.statusCode, a.succeeded])).toEqual([
        [1, 500, false],
        [2, 503, false],
        [3, 200, true],
      ]);
      expect(receiver.requests).toHaveLength(3);
      // The same event each time: a receiver dedupes on its id.
      expect(new Set(receiver.requests.map((r) => JSON.parse(r.body).id))).toEqual(new Set([eventId]));
    });
  });

  test("a receiver that never answers 2xx is given up on at the 3-day horizon, with the last attempt on it", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["*"] });
      const t0 = new Date("2026-11-26T12:00:00.000Z");
      const { eventId } = await emit(merchantId, "payment.captured", "pay_dead", 1, t0);
      let clock = t0;
      for (let step = 0; step < 50; step++) {
        await deliverDueWebhooks({ now: () => clock });
        const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { eventId } });
        if (delivery.status !== "pending") break;
        clock = delivery.nextAttemptAt!;
      }
      const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { eventId } });
      expect(delivery.status).toBe("failed");
      expect(delivery.nextAttemptAt).toBeNull();
      const attempts = await db().webhookDeliveryAttempt.findMany({ where: { eventId }, orderBy: { id: "asc" } });
      const offsetsMinutes = attempts.map((a) => (a.createdAt.getTime() - t0.getTime()) / MINUTE);
      // 0, +1m, +5m, +30m, +2h, +6h, +12h, +24h, +24h, then the horizon itself.
      expect(offsetsMinutes).toEqual([0, 1, 6, 36, 156, 516, 1236, 2676, 4116, 4320]);
      expect(Math.max(...offsetsMinutes) * MINUTE).toBe(DELIVERY_HORIZON_MS);
      expect(receiver.requests).toHaveLength(10);
      expect(await deliverDueWebhooks({ now: () => new Date(t0.getTime() + 10 * 24 * HOUR) })).toEqual([]);
    }, 500);
  });

  test("each endpoint gets only the event types it subscribed to; disabled and deleted endpoints get none", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      const captured = await createWebhookEndpoint({ merchantId, actor, url: `${receiver.url}?e=captured`, enabled_events: ["payment.captured"] });
      const all = await createWebhookEndpoint({ merchantId, actor, url: `${receiver.url}?e=all`, enabled_events: ["*"] });
      const refunds = await createWebhookEndpoint({ merchantId, actor, url: `${receiver.url}?e=refunds`, enabled_events: ["refund.succeeded", "refund.failed"] });
      const disabled = await createWebhookEndpoint({ merchantId, actor, url: `${receiver.url}?e=disabled`, enabled_events: ["*"] });
      await updateWebhookEndpoint({ merchantId, id: disabled.id, actor, disabled: true });
      const deleted = await createWebhookEndpoint({ merchantId, actor, url: `${receiver.url}?e=deleted`, enabled_events: ["*"] });
      await deleteWebhookEndpoint({ merchantId, id: deleted.id, actor });
      // Another merchant's endpoint never sees this merchant's events.
      const other = await makeMerchant("Other");
      await createWebhookEndpoint({ merchantId: other.merchantId, actor, url: `${receiver.url}?e=other`, enabled_events: ["*"] });

      await emit(merchantId, "payment.captured", "pay_f", 1);
      await emit(merchantId, "refund.succeeded", "re_f", 1);
      await emit(merchantId, "dispute.created", "dp_f", 1);
      await deliverDueWebhooks();
      const got = receiver.requests.map((r) => `${new URL(r.path, "http://x").searchParams.get("e")} ${JSON.parse(r.body).type}`).sort();
      expect(got).toEqual(["all dispute.created", "all payment.captured", "all refund.succeeded", "captured payment.captured", "refunds refund.succeeded"]);
      expect(captured.enabled_events).toEqual(["payment.captured"]);
      expect(all.enabled_events).toEqual(["*"]);
      expect(refunds.enabled_events).toEqual(["refund.failed", "refund.succeeded"]);
    });
  });

  test("events carry object_version, so a receiver can drop one that arrives after a newer one", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["*"] });
      const t0 = new Date("2026-11-26T12:00:00.000Z");
      await emit(merchantId, "payment.authorized", "pay_order", 2, t0);
      await emit(merchantId, "payment.captured", "pay_order", 3, new Date(t0.getTime() + 1000));
      // The older event fails first and is retried after the newer one was delivered.
      receiver.respondWith(500);
      await deliverDueWebhooks({ now: () => new Date(t0.getTime() + 2000), batchSize: 1 });
      await deliverDueWebhooks({ now: () => new Date(t0.getTime() + 2000), batchSize: 1 });
      await deliverDueWebhooks({ now: () => new Date(t0.getTime() + 2 * MINUTE) });
      const arrivals = receiver.requests.map((r) => JSON.parse(r.body) as { type: string; object_version: number });
      const accepted: number[] = [];
      let newest = 0;
      for (const event of arrivals) {
        if (event.object_version <= newest) continue; // what a receiver does: drop stale versions
        newest = event.object_version;
        accepted.push(event.object_version);
      }
      expect(arrivals.map((e) => e.object_version)).toEqual([2, 3, 2]);
      expect(accepted).toEqual([2, 3]);
      for (const event of arrivals) expect(Number.isInteger(event.object_version)).toBe(true);
    });
  });
});

describe("secret rolling", () => {
  test("both secrets sign during the grace period, only the new one after it", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      const endpoint = await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["*"] });
      const t0 = new Date("2026-11-26T12:00:00.000Z");
      const rolled = await rollWebhookEndpointSecret({ merchantId, id: endpoint.id, actor, expires_in_hours: 24, now: t0 });
      expect(rolled.secret).not.toBe(endpoint.secret);
      expect(rolled.previous_secret_expires).toBe(new Date(t0.getTime() + 24 * HOUR).toISOString());

      await emit(merchantId, "payment.captured", "pay_roll1", 1, t0);
      await deliverDueWebhooks({ now: () => new Date(t0.getTime() + HOUR) });
      const during = receiver.requests[0]!;
      const duringT = Number(header(during).match(/t=(\d+)/)![1]);
      expect(header(during).match(/v1=/g)).toHaveLength(2);
      expect(verifyMerchantSignature(during.body, header(during), rolled.secret, 300, duringT)).toBe(true);
      expect(verifyMerchantSignature(during.body, header(during), endpoint.secret, 300, duringT)).toBe(true);

      const after = new Date(t0.getTime() + 25 * HOUR);
      await emit(merchantId, "payment.captured", "pay_roll2", 1, after);
      await deliverDueWebhooks({ now: () => after });
      const late = receiver.requests[1]!;
      const lateT = Number(header(late).match(/t=(\d+)/)![1]);
      expect(header(late).match(/v1=/g)).toHaveLength(1);
      expect(verifyMerchantSignature(late.body, header(late), rolled.secret, 300, lateT)).toBe(true);
      expect(verifyMerchantSignature(late.body, header(late), endpoint.secret, 300, lateT)).toBe(false);

      // Rolling with 0 hours retires the old secret at once.
      const again = await rollWebhookEndpointSecret({ merchantId, id: endpoint.id, actor, expires_in_hours: 0, now: after });
      expect(again.previous_secret_expires).toBeNull();
      const stored = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
      // The secret is stored encrypted, never in the clear.
      expect(Buffer.from(stored.secretEncrypted).toString("utf8")).not.toContain("whsec_");
      expect(stored.previousSecretEncrypted).toBeNull();
    });
  });
});

describe("manual sends", () => {
  test("a test event goes to that endpoint only, once; a failed delivery is resent and succeeds", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      const endpoint = await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["payment.captured"] });
      receiver.respondWith(500);
      const test = await sendTestEvent({ merchantId, webhookEndpointId: endpoint.id, actor });
      expect(test).toMatchObject({ event_type: "webhook_endpoint.test", status: "failed", attempt_count: 1, last_status_code: 500 });
      expect(test.attempts?.[0]).toMatchObject({ trigger: "test", status_code: 500, succeeded: false });

      const resent = await resendDelivery({ merchantId, deliveryId: test.id, actor });
      expect(resent).toMatchObject({ status: "succeeded", attempt_count: 2, last_status_code: 200 });
      expect(resent.attempts?.map((a) => a.trigger)).toEqual(["manual", "test"]);
      expect(receiver.requests).toHaveLength(2);
      expect(receiver.requests[0]!.body).toBe(receiver.requests[1]!.body);

      // Another merchant cannot resend it.
      const other = await makeMerchant("Other");
      await expect(resendDelivery({ merchantId: other.merchantId, deliveryId: test.id, actor })).rejects.toMatchObject({ code: "resource_missing" });
    });
  });

  test("an event is resent to an endpoint created after it, when that endpoint subscribes to its type", async () => {
    await withReceiver(async (receiver) => {
      const { merchantId } = await makeMerchant();
      const { eventId } = await emit(merchantId, "payment.captured", "pay_late", 4);
      expect(await db().webhookDelivery.count({ where: { eventId } })).toBe(0);
      const wrongType = await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["refund.failed"] });
      await expect(resendEvent({ merchantId, eventId, webhookEndpointId: wrongType.id, actor })).rejects.toMatchObject({ code: "parameter_invalid" });
      const endpoint = await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["payment.captured"] });
      const result = await resendEvent({ merchantId, eventId, webhookEndpointId: endpoint.id, actor });
      expect(result.data).toHaveLength(1);
      expect(result.data[0]).toMatchObject({ status: "succeeded", webhook_endpoint: endpoint.id });
      expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ id: eventId, object_version: 4 });
    });
  });
});

describe("retention", () => {
  test("the purge deletes finished events older than 90 days with their log, and keeps pending and recent ones", async () => {
    await withReceiver(async (receiver) => {
      const { purgeNotificationLogs } = await import("./purge-notification-logs");
      const { merchantId } = await makeMerchant();
      await createWebhookEndpoint({ merchantId, actor, url: receiver.url, enabled_events: ["*"] });
      const old = new Date(Date.now() - 100 * 86_400_000);
      const { eventId: oldDone } = await emit(merchantId, "payment.captured", "pay_old", 1, old);
      await deliverDueWebhooks({ now: () => old });
      const { eventId: oldPending } = await emit(merchantId, "payment.captured", "pay_old2", 1, old);
      const { eventId: recent } = await emit(merchantId, "payment.captured", "pay_new", 1);
      const result = await purgeNotificationLogs();
      expect(result.events).toBeGreaterThanOrEqual(1);
      const left = (await db().merchantEvent.findMany({ where: { merchantId }, select: { id: true } })).map((e) => e.id).sort();
      expect(left).toEqual([oldPending, recent].sort());
      expect(await db().webhookDeliveryAttempt.count({ where: { eventId: oldDone } })).toBe(0);
    });
  });
});
