// Typed client for the PSP sandbox control plane (/_sandbox/*), used by the CLI, tests and the chaos harness.

export type FaultKind = "latency" | "500" | "502" | "503" | "429" | "409" | "reset" | "500_after" | "commit_drop" | "truncated_body";

export interface FaultSpec {
  kind: FaultKind;
  /** Path prefix, e.g. `/v1/payment_intents` (`*` matches one segment). Default: all of /v1. */
  path?: string;
  method?: "GET" | "POST" | "DELETE";
  /** One-shot: number of matching requests to affect (default 1 when rate is absent). */
  count?: number;
  /** Probability 0..1 per matching request. */
  rate?: number;
  latencyMs?: number;
  shouldRetry?: boolean;
  hangMs?: number;
}

export interface WebhookFaultSpec {
  duplicateRate?: number;
  duplicateCount?: number;
  dropRate?: number;
  dropCount?: number;
  reorder?: boolean;
  reorderWindow?: number;
  delayMs?: number;
}

export interface ClockState {
  mode: "real" | "frozen" | "offset";
  now: number;
  now_ms: number;
  offset_ms: number;
  iso: string;
  jobs_run?: number;
}

export interface DeliveryRecord {
  id: string;
  eventId: string;
  eventType: string;
  target: string;
  url: string;
  endpointId: string | null;
  status: "pending" | "held" | "delivered" | "failed" | "dropped";
  attempts: { at: number; status: number | null; latencyMs: number; error?: string; response?: string }[];
  created: number;
  duplicateOf?: string;
}

export interface AlterSettlementSpec {
  kind: "missing_balance_transaction" | "extra_balance_transaction" | "amount_off";
  balanceTransactionId?: string;
  /** For extra_balance_transaction: the amount in settlement minor units (default 1234). */
  amount?: number;
  /** For amount_off: units added to amount and net (default 1). */
  delta?: number;
}

export class SandboxControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`sandbox control request failed with HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

const REQUEST_TIMEOUT_MS = 30_000;

export class SandboxControl {
  private readonly baseUrl: string;

  constructor(url: string) {
    this.baseUrl = url.replace(/\/+$/, "");
  }

  private async call<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) throw new SandboxControlError(response.status, parsed);
    return parsed as T;
  }

  reset(): Promise<{ ok: true }> {
    return this.call("POST", "/_sandbox/reset", {});
  }

  state(options: { objects?: boolean; limit?: number } = {}): Promise<Record<string, unknown>> {
    const query = new URLSearchParams();
    if (options.objects) query.set("objects", "true");
    if (options.limit) query.set("limit", String(options.limit));
    return this.call("GET", `/_sandbox/state${query.size ? `?${query}` : ""}`);
  }

  clock(): Promise<ClockState> {
    return this.call("GET", "/_sandbox/clock");
  }

  setClock(mode: "real" | "frozen" | "offset", atSeconds?: number): Promise<ClockState> {
    return this.call("POST", "/_sandbox/clock", { mode, at: atSeconds });
  }

  /** Moves sandbox time forward and runs everything that became due (expiries, settlements, payouts, disputes). */
  advanceClock(seconds: number): Promise<ClockState> {
    return this.call("POST", "/_sandbox/clock/advance", { seconds });
  }

  /** Runs the short asynchronous transitions now (async-capture BTs, dispute creation, refund flips, payout in_transit). */
  flushScheduler(): Promise<{ jobs_run: number }> {
    return this.call("POST", "/_sandbox/scheduler/flush", {});
  }

  /** Delivers every pending webhook once and waits for the receivers' answers. */
  flushWebhooks(): Promise<{ attempted: number; delivered: number; failed: number; pending: number }> {
    return this.call("POST", "/_sandbox/webhooks/flush", {});
  }

  async deliveries(filter: { eventId?: string; status?: DeliveryRecord["status"]; limit?: number } = {}): Promise<DeliveryRecord[]> {
    const query = new URLSearchParams();
    if (filter.eventId) query.set("event", filter.eventId);
    if (filter.status) query.set("status", filter.status);
    if (filter.limit) query.set("limit", String(filter.limit));
    const result = await this.call<{ data: DeliveryRecord[] }>("GET", `/_sandbox/webhooks/deliveries${query.size ? `?${query}` : ""}`);
    return result.data;
  }

  async resendEvent(eventId: string, endpoint?: string): Promise<DeliveryRecord[]> {
    const result = await this.call<{ deliveries: DeliveryRecord[] }>("POST", `/_sandbox/events/${encodeURIComponent(eventId)}/resend`, endpoint ? { endpoint } : {});
    return result.deliveries;
  }

  injectFault(spec: FaultSpec): Promise<FaultSpec & { id: string; hits: number }> {
    return this.call("POST", "/_sandbox/faults", spec);
  }

  async listFaults(): Promise<(FaultSpec & { id: string; hits: number })[]> {
    return (await this.call<{ data: (FaultSpec & { id: string; hits: number })[] }>("GET", "/_sandbox/faults")).data;
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/_sandbox/faults");
    await this.call("DELETE", "/_sandbox/webhooks/faults");
  }

  setWebhookFaults(spec: WebhookFaultSpec): Promise<WebhookFaultSpec> {
    return this.call("POST", "/_sandbox/webhooks/faults", spec);
  }

  resolveDispute(disputeId: string, outcome: "won" | "lost"): Promise<Record<string, unknown>> {
    return this.call("POST", `/_sandbox/disputes/${encodeURIComponent(disputeId)}/resolve`, { outcome });
  }

  complete3ds(paymentIntentId: string): Promise<Record<string, unknown>> {
    return this.call("POST", `/_sandbox/3ds/${encodeURIComponent(paymentIntentId)}/complete`, {});
  }

  fail3ds(paymentIntentId: string): Promise<Record<string, unknown>> {
    return this.call("POST", `/_sandbox/3ds/${encodeURIComponent(paymentIntentId)}/fail`, {});
  }

  /** Sweeps the available balance into an automatic payout (null when there is nothing to pay out). */
  async runPayouts(options: { failureCode?: string } = {}): Promise<Record<string, any> | null> {
    const result = await this.call<{ payout: Record<string, any> | null }>("POST", "/_sandbox/payouts/run", { failure_code: options.failureCode });
    return result.payout;
  }

  failPayout(payoutId: string, failureCode = "account_closed"): Promise<Record<string, unknown>> {
    return this.call("POST", `/_sandbox/payouts/${encodeURIComponent(payoutId)}/fail`, { failure_code: failureCode });
  }

  alterSettlement(spec: AlterSettlementSpec): Promise<Record<string, unknown>> {
    return this.call("POST", "/_sandbox/settlement/alter", {
      kind: spec.kind,
      balance_transaction: spec.balanceTransactionId,
      amount: spec.amount,
      delta: spec.delta,
    });
  }

  /** `stripe trigger`-style: runs a real flow that emits the given event type. */
  trigger(eventType: string): Promise<{ event_type: string; objects: string[] }> {
    return this.call("POST", "/_sandbox/trigger", { event: eventType });
  }
}
