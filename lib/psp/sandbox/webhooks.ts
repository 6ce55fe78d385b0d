// Webhook dispatcher: signs each event like Stripe and delivers it at least once, with retries, faults and a log.
import http from "node:http";
import type { SandboxClock } from "./clock.js";
import type { Engine } from "./engine.js";
import { newId } from "./ids.js";
import { signPayload } from "./signature.js";
import type { Delivery, Store, StripeObject } from "./store.js";

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface WebhookFaults {
  /** Probability (0..1) or one-shot count of deliveries sent twice. */
  duplicateRate?: number;
  duplicateCount?: number;
  /** Deliveries silently dropped (never sent; recoverable with resend). */
  dropRate?: number;
  dropCount?: number;
  /** Hold deliveries and release them in reverse order in batches of `reorderWindow`. */
  reorder?: boolean;
  reorderWindow?: number;
  /** Extra delay before each delivery. */
  delayMs?: number;
}

const DELIVERY_TIMEOUT_MS = 10_000;
const RESPONSE_SNIPPET_MAX = 300;
/**
 * Deliveries in flight to one target at once. Causal order is kept per object chain (chainOf): a chain's
 * next delivery waits for the one before it, while other payments' events go out side by side, as Stripe
 * delivers concurrently. One at a time per target made every target's webhook rate 1 / its response time.
 */
const CONCURRENCY_PER_TARGET = 8;

/** The chain an event is ordered within: its PaymentIntent (charges, refunds, disputes carry one), else its own object. */
function chainOf(event: StripeObject): string {
  const object = (event.data as { object?: { id?: string; payment_intent?: string | { id: string } | null } } | undefined)?.object;
  const pi = object?.payment_intent;
  return (typeof pi === "string" ? pi : pi?.id) ?? object?.id ?? event.id;
}

export class WebhookDispatcher {
  private agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private inFlight = new Map<string, Promise<void>>();
  private activePerTarget = new Map<string, number>();
  /** target + chain of every delivery in flight. */
  private activeChains = new Set<string>();
  private faults: WebhookFaults = {};
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly engine: Engine,
    private readonly clock: SandboxClock,
    private readonly configuredTargets: WebhookTarget[],
    private readonly retryScheduleSeconds: number[],
  ) {
    engine.onEvent((event) => this.enqueue(event));
  }

  start(): void {
    this.timer = setInterval(() => this.pump(), 250);
    this.timer.unref();
    this.pump();
  }

  setFaults(faults: WebhookFaults): void {
    this.faults = { ...faults };
  }

  getFaults(): WebhookFaults {
    return { ...this.faults };
  }

  private targetsFor(type: string): { key: string; url: string; secret: string; endpointId: string | null }[] {
    const targets = this.configuredTargets.map((target, index) => ({ key: `config_${index}`, url: target.url, secret: target.secret, endpointId: null as string | null }));
    for (const id of this.store.lists.get("webhook_endpoint") ?? []) {
      const endpoint = this.store.get(id);
      if (!endpoint || endpoint.status !== "enabled") continue;
      const events = endpoint.enabled_events as string[];
      if (!events.includes("*") && !events.includes(type)) continue;
      targets.push({ key: id, url: endpoint.url, secret: this.store.internal(id).secret, endpointId: id });
    }
    return targets;
  }

  private takeFault(rateKey: "duplicateRate" | "dropRate", countKey: "duplicateCount" | "dropCount"): boolean {
    const count = this.faults[countKey];
    if (count && count > 0) {
      this.faults[countKey] = count - 1;
      return true;
    }
    const rate = this.faults[rateKey];
    return rate !== undefined && rate > 0 && Math.random() < rate;
  }

  private enqueue(event: StripeObject, onlyTarget?: string): Delivery[] {
    const targets = this.targetsFor(event.type).filter((t) => !onlyTarget || t.key === onlyTarget || t.url === onlyTarget);
    const created: Delivery[] = [];
    for (const target of targets) {
      const dropped = this.takeFault("dropRate", "dropCount");
      const delivery: Delivery = {
        id: newId("whdel"),
        eventId: event.id,
        eventType: event.type,
        target: target.key,
        url: target.url,
        secret: target.secret,
        endpointId: target.endpointId,
        status: dropped ? "dropped" : this.faults.reorder ? "held" : "pending",
        nextAt: this.clock.nowMs(),
        attempts: [],
        created: this.clock.now(),
        chain: chainOf(event),
      };
      this.store.putDelivery(delivery);
      created.push(delivery);
      if (this.takeFault("duplicateRate", "duplicateCount")) {
        const duplicate: Delivery = { ...delivery, id: newId("whdel"), status: delivery.status === "dropped" ? "pending" : delivery.status, duplicateOf: delivery.id, attempts: [] };
        this.store.putDelivery(duplicate);
        created.push(duplicate);
      }
    }
    // Dropped deliveries never succeed, so they stay counted as pending, as they would at Stripe.
    event.pending_webhooks = (event.pending_webhooks as number) + created.filter((d) => !d.duplicateOf).length;
    this.store.save(event.id);
    if (this.faults.reorder) this.releaseHeldIfFull();
    if (!this.closed) setImmediate(() => this.pump());
    return created;
  }

  private releaseHeldIfFull(force = false): void {
    const held = [...this.store.deliveries.values()].filter((d) => d.status === "held");
    const window = this.faults.reorderWindow ?? 5;
    if (!force && held.length < window) return;
    // Reverse causal order: the newest event of the batch is delivered first.
    const base = this.clock.nowMs();
    held.reverse().forEach((delivery, index) => {
      delivery.status = "pending";
      delivery.nextAt = base - held.length + index;
      this.store.putDelivery(delivery);
    });
  }

  /** Starts every due delivery that is not already in flight (respecting per-target ordering). */
  pump(): void {
    if (this.closed) return;
    const now = this.clock.nowMs();
    const due: Delivery[] = [];
    for (const id of this.store.pendingDeliveries) {
      const delivery = this.store.deliveries.get(id);
      if (delivery?.status !== "pending") continue; // changed in place; its putDelivery will drop it from the index
      if (delivery.nextAt <= now && !this.inFlight.has(id)) due.push(delivery);
    }
    due.sort((a, b) => a.nextAt - b.nextAt);
    for (const delivery of due) {
      const active = this.activePerTarget.get(delivery.target) ?? 0;
      if (active >= CONCURRENCY_PER_TARGET) continue;
      const chain = `${delivery.target} ${delivery.chain ?? delivery.id}`;
      if (this.activeChains.has(chain)) continue;
      this.activeChains.add(chain);
      this.activePerTarget.set(delivery.target, active + 1);
      const promise = this.attempt(delivery).finally(() => {
        this.inFlight.delete(delivery.id);
        this.activeChains.delete(chain);
        this.activePerTarget.set(delivery.target, (this.activePerTarget.get(delivery.target) ?? 1) - 1);
        if (!this.closed) setImmediate(() => this.pump());
      });
      this.inFlight.set(delivery.id, promise);
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const event = this.store.get(delivery.eventId);
    if (!event) {
      delivery.status = "failed";
      this.store.putDelivery(delivery);
      return;
    }
    if (this.faults.delayMs) await new Promise((resolve) => setTimeout(resolve, this.faults.delayMs));
    const payload = JSON.stringify(event, null, 2);
    const timestamp = this.clock.now();
    const signature = signPayload(payload, delivery.secret, timestamp);
    const started = Date.now();
    const result = await this.post(delivery.url, payload, signature);
    const attempt = { at: timestamp, status: result.status, latencyMs: Date.now() - started, ...(result.error ? { error: result.error } : {}), ...(result.body ? { response: result.body } : {}) };
    delivery.attempts.push(attempt);
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      delivery.status = "delivered";
      event.pending_webhooks = Math.max(0, (event.pending_webhooks as number) - 1);
      this.store.save(event.id);
    } else if (delivery.attempts.length > this.retryScheduleSeconds.length) {
      delivery.status = "failed";
    } else {
      delivery.nextAt = this.clock.nowMs() + this.retryScheduleSeconds[delivery.attempts.length - 1] * 1000;
    }
    this.store.putDelivery(delivery);
  }

  private post(url: string, payload: string, signature: string): Promise<{ status: number | null; body?: string; error?: string }> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({ status: null, error: "invalid url" });
        return;
      }
      const request = http.request(
        {
          hostname: target.hostname,
          port: target.port || 80,
          path: `${target.pathname}${target.search}`,
          method: "POST",
          agent: this.agent,
          timeout: DELIVERY_TIMEOUT_MS,
          headers: {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Length": Buffer.byteLength(payload),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Stripe-Signature": signature,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            if (size < RESPONSE_SNIPPET_MAX) chunks.push(chunk);
            size += chunk.length;
          });
          response.on("end", () => resolve({ status: response.statusCode ?? null, body: Buffer.concat(chunks).toString("utf8").slice(0, RESPONSE_SNIPPET_MAX) }));
          response.on("error", (error) => resolve({ status: null, error: error.message }));
        },
      );
      request.on("timeout", () => request.destroy(new Error("timeout")));
      request.on("error", (error) => resolve({ status: null, error: error.message }));
      request.end(payload);
    });
  }

  /** Delivers everything pending now (one attempt per delivery per call) and waits for the results. */
  async flush(): Promise<{ attempted: number; delivered: number; failed: number; pending: number }> {
    this.releaseHeldIfFull(true);
    const attemptsAtStart = new Map<string, number>();
    for (let round = 0; round < 10_000; round++) {
      const now = this.clock.nowMs();
      for (const delivery of this.store.deliveries.values()) {
        if (delivery.status !== "pending" || attemptsAtStart.has(delivery.id)) continue;
        attemptsAtStart.set(delivery.id, delivery.attempts.length);
        if (delivery.nextAt > now) {
          delivery.nextAt = now;
          this.store.putDelivery(delivery);
        }
      }
      const waiting = [...attemptsAtStart].some(([id, count]) => {
        const delivery = this.store.deliveries.get(id);
        return delivery !== undefined && delivery.status === "pending" && delivery.attempts.length === count;
      });
      if (!waiting && this.inFlight.size === 0) break;
      this.pump();
      if (this.inFlight.size > 0) await Promise.race([...this.inFlight.values()]);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    let delivered = 0;
    let failed = 0;
    let pending = 0;
    for (const id of attemptsAtStart.keys()) {
      const delivery = this.store.deliveries.get(id);
      if (!delivery) continue;
      if (delivery.status === "delivered") delivered++;
      else if (delivery.status === "failed") failed++;
      else pending++;
    }
    return { attempted: attemptsAtStart.size, delivered, failed, pending };
  }

  resend(eventId: string, target?: string): Delivery[] {
    const event = this.store.get(eventId);
    if (!event || event.object !== "event") throw new Error(`No such event: '${eventId}'`);
    return this.enqueue(event, target);
  }

  deliveries(filter: { eventId?: string; status?: string; limit?: number } = {}): Omit<Delivery, "secret">[] {
    const limit = Math.min(filter.limit ?? 200, 5000);
    const out: Omit<Delivery, "secret">[] = [];
    const all = [...this.store.deliveries.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const { secret: _secret, ...rest } = all[i];
      if (filter.eventId && rest.eventId !== filter.eventId) continue;
      if (filter.status && rest.status !== filter.status) continue;
      out.push(rest);
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.race([Promise.all([...this.inFlight.values()]), new Promise((resolve) => setTimeout(resolve, 1000))]);
    this.agent.destroy();
  }
}

export type { Engine };
