// HTTP API benchmarks against the bench's own stack: the trivial route (GET /api/health, the reference),
// transfers (POST /api/v1/transfers between funded wallets) and payments (POST /api/v1/payments,
// create+confirm with pm_card_visa through the sandbox PSP), plus where a payment's time goes.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { SandboxControl } from "@/lib/psp/sandbox/control";
import { round, runLoad, summarize, type LatencySummary, type LoadResult } from "./lib/load";
import type { Stack } from "./lib/stack";

export type ApiBenchContext = {
  stack: Stack;
  secret: string;
  merchantId: string;
  wallets: string[];
  durationS: number;
  connections: number;
  log: (line: string) => void;
};

const runId = randomBytes(3).toString("hex");
let sequence = 0;
export function uniqueKey(prefix: string): string {
  return `${prefix}_${runId}_${++sequence}_${randomBytes(4).toString("hex")}`;
}

/** A client IP per request (the fraud rules rate-limit per IP; a load generator is not one shopper). */
function randomIp(): string {
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
}

export async function benchTrivialRoute(context: ApiBenchContext, name = "trivial route (GET /api/health)"): Promise<LoadResult> {
  return runLoad({ name, url: `${context.stack.appUrl}/api/health`, connections: context.connections, durationS: context.durationS, rssPid: context.stack.pidOf("app") });
}

export async function benchTransfersApi(context: ApiBenchContext): Promise<LoadResult> {
  const { wallets } = context;
  return runLoad({
    name: "transfers API (POST /api/v1/transfers)",
    url: `${context.stack.appUrl}/api/v1/transfers`,
    method: "POST",
    headers: { authorization: `Bearer ${context.secret}`, "content-type": "application/json" },
    makeRequest: () => {
      const from = Math.floor(Math.random() * wallets.length);
      let to = Math.floor(Math.random() * wallets.length);
      if (to === from) to = (to + 1) % wallets.length;
      return {
        headers: { "idempotency-key": uniqueKey("trf") },
        body: JSON.stringify({ from_account: wallets[from], to_account: wallets[to], amount: 1 + Math.floor(Math.random() * 100), currency: "USD" }),
      };
    },
    connections: context.connections,
    durationS: context.durationS,
    rssPid: context.stack.pidOf("app"),
  });
}

export function paymentRequest(secret: string) {
  return {
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    makeRequest: () => ({
      headers: { "idempotency-key": uniqueKey("pay"), "x-forwarded-for": randomIp() },
      body: JSON.stringify({ amount: 500 + Math.floor(Math.random() * 20_000), currency: "USD", payment_method: "pm_card_visa" }),
    }),
  };
}

/** What is still owed after a load run: the sandbox's webhook deliveries and our own queues. */
type Backlog = { pspDeliveries: number; pspEvents: number; merchantDeliveries: number; emails: number };

/**
 * Waits until the work a previous run left behind is done (the sandbox's webhook deliveries, stored PSP
 * events, merchant webhook deliveries and receipt emails), so a measurement at a set load measures that
 * load and not the drain of an overload before it. Events deferred behind an in-flight create are due
 * again 5 s later, so "done" is the backlog at zero twice, 2 s apart. Gives up after maxWaitS and says so.
 */
export async function waitForQuiet(context: ApiBenchContext, maxWaitS = 180): Promise<{ waitedS: number; quiet: boolean; backlog: Backlog }> {
  const control = new SandboxControl(context.stack.pspUrl);
  const client = new pg.Client({ connectionString: context.stack.databaseUrl });
  await client.connect();
  const started = performance.now();
  const read = async (): Promise<Backlog> => {
    const state = (await control.state()) as { pending_deliveries?: number };
    const { rows } = await client.query<{ psp: number; deliveries: number; emails: number }>(
      `SELECT (SELECT count(*) FROM psp_events WHERE status IN ('pending', 'processing', 'failed'))::int AS psp,
              (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::int AS deliveries,
              (SELECT count(*) FROM email_messages WHERE status IN ('queued', 'sending'))::int AS emails`,
    );
    return { pspDeliveries: state.pending_deliveries ?? 0, pspEvents: rows[0]!.psp, merchantDeliveries: rows[0]!.deliveries, emails: rows[0]!.emails };
  };
  const empty = (backlog: Backlog) => Object.values(backlog).every((count) => count === 0);
  try {
    let backlog = await read();
    let quietSince: number | null = null;
    while (performance.now() - started < maxWaitS * 1000) {
      if (empty(backlog)) {
        quietSince ??= performance.now();
        if (performance.now() - quietSince >= 2_000) break;
      } else quietSince = null;
      await new Promise((resolve) => setTimeout(resolve, 500));
      backlog = await read();
    }
    const result = { waitedS: round((performance.now() - started) / 1000, 1), quiet: empty(backlog), backlog };
    context.log(`backlog after the run: ${result.quiet ? "drained" : "NOT drained"} in ${result.waitedS} s ${JSON.stringify(backlog)}`);
    return result;
  } finally {
    await client.end();
  }
}

export async function benchPaymentsApi(context: ApiBenchContext, options: { overallRate?: number; name?: string; durationS?: number; windowS?: number } = {}): Promise<LoadResult> {
  return runLoad({
    name: options.name ?? "payments API (POST /api/v1/payments)",
    url: `${context.stack.appUrl}/api/v1/payments`,
    method: "POST",
    ...paymentRequest(context.secret),
    connections: context.connections,
    durationS: options.durationS ?? context.durationS,
    overallRate: options.overallRate,
    windowS: options.windowS,
    rssPid: context.stack.pidOf("app"),
  });
}

export type PaymentBreakdown = {
  samples: number;
  /** Client-measured full request, sequential (one at a time). */
  total: LatencySummary;
  /** Auth, body checks, idempotency claim (request start → payments.created_at, stamped before the risk reads). */
  toInsert: LatencySummary;
  /** Risk assessment (reads), receipt number, then the first transaction up to its move to pending: payment row, assessment, transition (created_at → pending_at). */
  risk: LatencySummary;
  /** First transaction's commit, PSP create+confirm, the answer applied up to the captured transition (pending_at → captured_at). */
  pspAndApply: LatencySummary;
  /** Rest of the second transaction (capture posting, audit, merchant event) and its commit, idempotency record, DTO, response (captured_at → response end). */
  finish: LatencySummary;
  /** The same PSP call alone, straight to the sandbox, sequential. */
  pspAlone: LatencySummary;
  /** GET /api/health sequential: HTTP + Next.js routing floor. */
  trivial: LatencySummary;
};

/** Sequential samples so the steps are not blurred by queueing; timestamps come from the payment row. */
export async function measurePaymentBreakdown(context: ApiBenchContext, samples: number): Promise<PaymentBreakdown & { withoutWebhooks?: PaymentBreakdown }> {
  const breakdown = await samplePaymentBreakdown(context, samples);
  // The same with the sandbox's webhooks to the app dropped: what inline webhook processing (every
  // PaymentIntent/charge event re-reads the PSP and takes the payment's row) costs the request itself.
  // Dropped events are repaired by the recovery job, as in the webhooks integration tests.
  const control = new SandboxControl(context.stack.pspUrl);
  await control.setWebhookFaults({ dropRate: 1 });
  try {
    return { ...breakdown, withoutWebhooks: await samplePaymentBreakdown(context, samples) };
  } finally {
    await control.setWebhookFaults({});
  }
}

async function samplePaymentBreakdown(context: ApiBenchContext, samples: number): Promise<PaymentBreakdown> {
  const { stack, secret } = context;
  const rows: { id: string; startMs: number; endMs: number }[] = [];
  const request = paymentRequest(secret);
  const totals: number[] = [];
  for (let i = 0; i < samples; i++) {
    const made = request.makeRequest();
    const startMs = Date.now();
    const begin = performance.now();
    const response = await fetch(`${stack.appUrl}/api/v1/payments`, { method: "POST", headers: { ...request.headers, ...made.headers }, body: made.body });
    const body = (await response.json()) as { id?: string };
    totals.push(performance.now() - begin);
    if (response.ok && body.id) rows.push({ id: body.id, startMs, endMs: Date.now() });
  }
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  const { rows: times } = await client.query<{ id: string; created: string; pending: string; captured: string }>(
    `SELECT id, (extract(epoch from created_at) * 1000)::float8 AS created, (extract(epoch from pending_at) * 1000)::float8 AS pending,
            (extract(epoch from captured_at) * 1000)::float8 AS captured
     FROM payments WHERE id = ANY($1::text[])`,
    [rows.map((row) => row.id)],
  );
  await client.end();
  const byId = new Map(times.map((row) => [row.id, row]));
  const steps = { toInsert: [] as number[], risk: [] as number[], pspAndApply: [] as number[], finish: [] as number[] };
  for (const row of rows) {
    const time = byId.get(row.id);
    if (!time?.pending || !time.captured) continue;
    steps.toInsert.push(Math.max(0, Number(time.created) - row.startMs));
    steps.risk.push(Number(time.pending) - Number(time.created));
    steps.pspAndApply.push(Number(time.captured) - Number(time.pending));
    steps.finish.push(Math.max(0, row.endMs - Number(time.captured)));
  }
  const pspAlone: number[] = [];
  for (let i = 0; i < samples; i++) {
    const begin = performance.now();
    const response = await fetch(`${stack.pspUrl}/v1/payment_intents`, pspCreateInit());
    await response.text();
    if (response.ok) pspAlone.push(performance.now() - begin);
  }
  const trivial: number[] = [];
  for (let i = 0; i < samples; i++) {
    const begin = performance.now();
    await (await fetch(`${stack.appUrl}/api/health`)).text();
    trivial.push(performance.now() - begin);
  }
  return {
    samples: rows.length,
    total: summarize(totals),
    toInsert: summarize(steps.toInsert),
    risk: summarize(steps.risk),
    pspAndApply: summarize(steps.pspAndApply),
    finish: summarize(steps.finish),
    pspAlone: summarize(pspAlone),
    trivial: summarize(trivial),
  };
}

/** The PaymentIntent create+confirm the app sends (same parameters and expansion), form-encoded as the SDK does. */
export function pspCreateBody(): string {
  const params = new URLSearchParams({
    amount: String(500 + Math.floor(Math.random() * 20_000)),
    currency: "usd",
    confirm: "true",
    payment_method: "pm_card_visa",
    capture_method: "automatic",
    "automatic_payment_methods[enabled]": "true",
    "automatic_payment_methods[allow_redirects]": "never",
    "metadata[settle_payment_id]": uniqueKey("pay_bench"),
    "metadata[settle_merchant_id]": "mer_bench",
    "expand[0]": "latest_charge.balance_transaction",
  });
  return params.toString();
}

export const PSP_HEADERS = { authorization: "Bearer sk_test_settle_sandbox", "content-type": "application/x-www-form-urlencoded" };

function pspCreateInit(): RequestInit {
  return { method: "POST", headers: { ...PSP_HEADERS, "idempotency-key": uniqueKey("psp") }, body: pspCreateBody() };
}
