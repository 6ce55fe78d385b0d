// Idempotency, SDK retries against injected faults, webhook delivery faults and persistence across restarts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeClient } from "../stripe-client.ts";
import { cardIntent, expectStripeError, startHarness, startWebhookReceiver, WEBHOOK_SECRET, type Harness, type WebhookReceiver } from "./test-support.ts";

let h: Harness;
let noRetry: Stripe;

beforeAll(async () => {
  h = await startHarness();
  noRetry = createStripeClient({ secretKey: "sk_test_settle", sandboxUrl: h.sandbox.url, maxNetworkRetries: 0, timeoutMs: 5000 });
});
afterAll(() => h.close());

async function countIntents(tag: string): Promise<number> {
  return (await h.stripe.paymentIntents.search({ query: `metadata['tag']:'${tag}'`, limit: 100 })).data.length;
}

describe("idempotency", () => {
  it("replays the stored response for the same key and parameters", async () => {
    const params = { amount: 1234, currency: "usd", confirm: true, payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], metadata: { tag: "replay" } } satisfies Stripe.PaymentIntentCreateParams;
    const first = await h.stripe.paymentIntents.create(params, { idempotencyKey: "v1:payment:replay" });
    const second = await h.stripe.paymentIntents.create(params, { idempotencyKey: "v1:payment:replay" });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(second.lastResponse.requestId).not.toBe(first.lastResponse.requestId);
    expect(second.lastResponse.headers["original-request"]).toBe(first.lastResponse.requestId);
    expect(await countIntents("replay")).toBe(1);
  });

  it("replays a stored card decline too (402 is a result, not a validation error)", async () => {
    const params = { amount: 1234, currency: "usd", confirm: true, payment_method: "pm_card_chargeDeclined", allowed_payment_method_types: ["card"], metadata: { tag: "decline-replay" } } satisfies Stripe.PaymentIntentCreateParams;
    const a = await expectStripeError(h.stripe.paymentIntents.create(params, { idempotencyKey: "v1:payment:decline" }));
    const b = await expectStripeError(h.stripe.paymentIntents.create(params, { idempotencyKey: "v1:payment:decline" }));
    expect((b.payment_intent as Stripe.PaymentIntent).id).toBe((a.payment_intent as Stripe.PaymentIntent).id);
    expect(await countIntents("decline-replay")).toBe(1);
  });

  it("rejects a key reused with different parameters (StripeIdempotencyError)", async () => {
    await h.stripe.paymentIntents.create({ amount: 1000, currency: "usd" }, { idempotencyKey: "v1:payment:mismatch" });
    const error = await expectStripeError(h.stripe.paymentIntents.create({ amount: 2000, currency: "usd" }, { idempotencyKey: "v1:payment:mismatch" }));
    expect(error.type).toBe("StripeIdempotencyError");
    expect(error.statusCode).toBe(400);
    const otherEndpoint = await expectStripeError(h.stripe.customers.create({}, { idempotencyKey: "v1:payment:mismatch" }));
    expect(otherEndpoint.type).toBe("StripeIdempotencyError");
  });

  it("does not store parameter-validation failures, so a corrected retry with the same key executes", async () => {
    const bad = await expectStripeError(h.stripe.paymentIntents.create({ amount: 1000, currency: "usd", bogus: "x" } as unknown as Stripe.PaymentIntentCreateParams, { idempotencyKey: "v1:payment:fixme" }));
    expect(bad.code).toBe("parameter_unknown");
    const good = await h.stripe.paymentIntents.create({ amount: 1000, currency: "usd" }, { idempotencyKey: "v1:payment:fixme" });
    expect(good.status).toBe("requires_payment_method");
    expect(good.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
  });
});

describe("faults and SDK retries", () => {
  it("an injected 500 before execution is retried by the SDK and produces exactly one charge", async () => {
    await h.control.injectFault({ kind: "500", path: "/v1/payment_intents", method: "POST", count: 1 });
    const pi = await cardIntent(h.stripe, "pm_card_visa", { metadata: { tag: "retry500" } });
    expect(pi.status).toBe("succeeded");
    expect(await countIntents("retry500")).toBe(1);
    const charges = await h.stripe.charges.list({ payment_intent: pi.id });
    expect(charges.data).toHaveLength(1);
  });

  it("a 500 after execution is stored: the SDK's retry gets the same 500 and nothing is charged twice", async () => {
    await h.control.injectFault({ kind: "500_after", path: "/v1/payment_intents", method: "POST", count: 1 });
    const error = await expectStripeError(cardIntent(h.stripe, "pm_card_visa", { metadata: { tag: "after500" } }));
    expect(error.type).toBe("StripeAPIError");
    expect(await countIntents("after500")).toBe(1);
  });

  it("429 surfaces as StripeRateLimitError without a retry", async () => {
    await h.control.injectFault({ kind: "429", path: "/v1/customers", count: 1 });
    const error = await expectStripeError(h.stripe.customers.create({ email: "a@example.com" }));
    expect(error.type).toBe("StripeRateLimitError");
    const [fault] = (await h.control.listFaults()).filter((f) => f.path === "/v1/customers");
    expect(fault).toBeUndefined();
  });

  it("503 with Stripe-Should-Retry: false is not retried", async () => {
    await h.control.injectFault({ kind: "503", path: "/v1/customers", count: 2, shouldRetry: false });
    const error = await expectStripeError(h.stripe.customers.create({ email: "b@example.com" }));
    expect(error.type).toBe("StripeAPIError");
    await h.control.clearFaults();
  });

  it("commit-then-drop: the dropped response is recovered by the SDK's reconnect retry with the same key", async () => {
    await h.control.injectFault({ kind: "commit_drop", path: "/v1/payment_intents", method: "POST", count: 1 });
    const pi = await noRetry.paymentIntents.create(
      { amount: 2500, currency: "usd", confirm: true, payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], metadata: { tag: "drop" } },
      { idempotencyKey: "v1:payment:drop" },
    );
    expect(pi.status).toBe("succeeded");
    expect(pi.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(await countIntents("drop")).toBe(1);
  });

  it("ambiguous timeout: the charge exists although the client saw an error; a retry with the same key replays it", async () => {
    const impatient = createStripeClient({ secretKey: "sk_test_settle", sandboxUrl: h.sandbox.url, maxNetworkRetries: 0, timeoutMs: 300 });
    await h.control.injectFault({ kind: "commit_drop", path: "/v1/payment_intents", method: "POST", count: 1, hangMs: 1200 });
    const params = { amount: 2600, currency: "usd", confirm: true, payment_method: "pm_card_visa", allowed_payment_method_types: ["card"], metadata: { tag: "timeout" } } satisfies Stripe.PaymentIntentCreateParams;
    const error = await expectStripeError(impatient.paymentIntents.create(params, { idempotencyKey: "v1:payment:timeout" }));
    expect(error.type).toBe("StripeConnectionError");
    expect(await countIntents("timeout")).toBe(1);
    const replay = await h.stripe.paymentIntents.create(params, { idempotencyKey: "v1:payment:timeout" });
    expect(replay.status).toBe("succeeded");
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(await countIntents("timeout")).toBe(1);
  });

  it("latency faults delay but do not fail", async () => {
    await h.control.injectFault({ kind: "latency", path: "/v1/balance", latencyMs: 150, count: 1 });
    const started = Date.now();
    await h.stripe.balance.retrieve();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("webhook delivery", () => {
  let receiver: WebhookReceiver;
  let wh: Harness;
  beforeAll(async () => {
    receiver = await startWebhookReceiver(h.stripe);
    wh = await startHarness({ webhookTargets: [{ url: receiver.url, secret: WEBHOOK_SECRET }] });
  });
  afterAll(async () => {
    await wh.close();
    await receiver.close();
  });

  it("retries non-2xx with back-off and records every attempt", async () => {
    await wh.control.flushWebhooks();
    receiver.failNext(2, 503);
    const customer = await wh.stripe.customers.create({ email: "retry@example.com" });
    await wh.control.flushWebhooks(); // attempt 1 fails
    await wh.control.flushWebhooks(); // attempt 2 fails
    await wh.control.flushWebhooks(); // attempt 3 succeeds
    const [delivery] = await wh.control.deliveries({ limit: 50 }).then((all) => all.filter((d) => d.eventType === "customer.created"));
    expect(delivery.status).toBe("delivered");
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(receiver.received.filter((w) => (w.event.data.object as Stripe.Customer).id === customer.id)).toHaveLength(1);
  });

  it("duplicate, dropped (then resent) and out-of-order deliveries", async () => {
    await wh.control.setWebhookFaults({ duplicateCount: 1 });
    const dup = await wh.stripe.customers.create({ email: "dup@example.com" });
    await wh.control.flushWebhooks();
    expect(receiver.received.filter((w) => (w.event.data.object as Stripe.Customer).id === dup.id)).toHaveLength(2);

    await wh.control.setWebhookFaults({ dropCount: 1 });
    const dropped = await wh.stripe.customers.create({ email: "drop@example.com" });
    await wh.control.flushWebhooks();
    expect(receiver.received.filter((w) => (w.event.data.object as Stripe.Customer).id === dropped.id)).toHaveLength(0);
    const [event] = (await wh.stripe.events.list({ type: "customer.created", limit: 1 })).data;
    expect(event.pending_webhooks).toBe(1);
    await wh.control.resendEvent(event.id);
    await wh.control.flushWebhooks();
    expect(receiver.received.filter((w) => (w.event.data.object as Stripe.Customer).id === dropped.id)).toHaveLength(1);

    await wh.control.setWebhookFaults({ reorder: true, reorderWindow: 10 });
    const before = receiver.received.length;
    await cardIntent(wh.stripe, "pm_card_visa");
    await wh.control.flushWebhooks();
    const types = receiver.received.slice(before).map((w) => w.event.type);
    expect(types[0]).toBe("payment_intent.succeeded");
    expect(types[types.length - 1]).toBe("payment_intent.created");
    await wh.control.clearFaults();
  });
});

describe("persistence", () => {
  it("state survives a restart from the data dir and can be reset", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "psp-sandbox-"));
    try {
      const first = await startHarness({ dataDir });
      const pi = await cardIntent(first.stripe, "pm_card_visa", { metadata: { settle_payment_id: "persist_1" } }, );
      await first.stripe.refunds.create({ payment_intent: pi.id, amount: 500 }, { idempotencyKey: "v1:refund:persist" });
      await first.control.advanceClock(3600);
      await first.close();

      const second = await startHarness({ dataDir });
      const again = await second.stripe.paymentIntents.retrieve(pi.id, { expand: ["latest_charge"] });
      expect(again.status).toBe("succeeded");
      expect((again.latest_charge as Stripe.Charge).amount_refunded).toBe(500);
      const replay = await second.stripe.refunds.create({ payment_intent: pi.id, amount: 500 }, { idempotencyKey: "v1:refund:persist" });
      expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
      expect((await second.stripe.refunds.list({ payment_intent: pi.id })).data).toHaveLength(1);
      expect((await second.control.clock()).offset_ms).toBe(3600 * 1000);
      const found = await second.stripe.paymentIntents.search({ query: "metadata['settle_payment_id']:'persist_1'" });
      expect(found.data).toHaveLength(1);
      await second.control.reset();
      expect((await second.stripe.paymentIntents.list()).data).toHaveLength(0);
      await second.close();

      const third = await startHarness({ dataDir });
      expect((await third.stripe.paymentIntents.list()).data).toHaveLength(0);
      await third.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("webhook delivery concurrency", () => {
  it("delivers different payments' events side by side, each payment's events one at a time in causal order", async () => {
    // A slow receiver (60 ms per answer) that records arrival order and how many requests it held at once.
    const arrivals: { type: string; pi: string }[] = [];
    let open = 0;
    let mostOpen = 0;
    const server = http.createServer((req, res) => {
      open++;
      mostOpen = Math.max(mostOpen, open);
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Stripe.Event;
        const object = event.data.object as { id: string; payment_intent?: string };
        arrivals.push({ type: event.type, pi: object.payment_intent ?? object.id });
        setTimeout(() => {
          open--;
          res.writeHead(200, { "Content-Type": "application/json" }).end('{"received":true}');
        }, 60);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const slow = await startHarness({ webhookTargets: [{ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, secret: WEBHOOK_SECRET }] });
    try {
      const intents = await Promise.all(Array.from({ length: 6 }, () => cardIntent(slow.stripe, "pm_card_visa")));
      await slow.control.flushWebhooks();
      for (const pi of intents) {
        expect(arrivals.filter((arrival) => arrival.pi === pi.id).map((arrival) => arrival.type)).toEqual(["payment_intent.created", "charge.succeeded", "payment_intent.succeeded"]);
      }
      // One at a time would be 18 × 60 ms back to back, with never more than one open.
      expect(mostOpen).toBeGreaterThan(1);
    } finally {
      await slow.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
