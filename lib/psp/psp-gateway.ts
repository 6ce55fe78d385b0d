// Settle's one door to the PSP: a lazily built Stripe client (real Stripe or the bundled sandbox) and
// `callPsp`, which retries rate limits, connection errors and 5xx with back-off under the SAME
// idempotency key and classifies what finally happened: a definitive answer, a card error, or
// "ambiguous" (the PSP may or may not have acted — the caller must leave things pending, never guess).
import Stripe from "stripe";
import { getEnv, usesPspSandbox } from "@/lib/env";
import { logger } from "@/lib/log/logger";
import { createStripeClient } from "./stripe-client";

/** Key used against the sandbox when no STRIPE_SECRET_KEY is configured. */
const SANDBOX_SECRET_KEY = "sk_test_settle_sandbox";
const PSP_TIMEOUT_MS = 20_000;
/** Our own retries on top of the SDK's (which does not retry 429). */
const PSP_ATTEMPTS_MAX = 4;
const PSP_BACKOFF_BASE_MS = 100;
const PSP_BACKOFF_CAP_MS = 2_000;
/** No new attempt starts after this long: a hung PSP must not hold a request (and a pool slot) for minutes. */
const PSP_CALL_DEADLINE_MS = 30_000;
/**
 * Circuit breaker: PSP_CIRCUIT_BREAKER_THRESHOLD ambiguous outcomes in a row open it for
 * PSP_BREAKER_OPEN_MS; then one probe is let through. Off (0) unless configured: it turns retries
 * into "pending, resolved by the recovery job", which the fault tests of the exactly-once suite
 * were not written for; enable it where a PSP outage should fail fast.
 */
const PSP_BREAKER_OPEN_MS = 10_000;
function breakerThreshold(): number {
  return getEnv().PSP_CIRCUIT_BREAKER_THRESHOLD;
}

type BreakerState = { consecutiveFailures: number; openUntil: number; probing: boolean };
const breaker: BreakerState = { consecutiveFailures: 0, openUntil: 0, probing: false };

/** For readiness and the dashboard: is the PSP currently considered unreachable? */
export function getPspCircuitState(now = Date.now()): { state: "closed" | "open" | "half_open"; consecutiveFailures: number } {
  if (breaker.openUntil > now) return { state: "open", consecutiveFailures: breaker.consecutiveFailures };
  const threshold = breakerThreshold();
  if (threshold > 0 && breaker.consecutiveFailures >= threshold) return { state: "half_open", consecutiveFailures: breaker.consecutiveFailures };
  return { state: "closed", consecutiveFailures: breaker.consecutiveFailures };
}

/** A new PSP configuration starts with a closed circuit. */
export function resetPspCircuit(): void {
  breaker.consecutiveFailures = 0;
  breaker.openUntil = 0;
  breaker.probing = false;
}

function recordOutcome(ambiguous: boolean): void {
  if (!ambiguous) {
    breaker.consecutiveFailures = 0;
    breaker.openUntil = 0;
    return;
  }
  breaker.consecutiveFailures++;
  const threshold = breakerThreshold();
  if (threshold > 0 && breaker.consecutiveFailures >= threshold) {
    breaker.openUntil = Date.now() + PSP_BREAKER_OPEN_MS;
    logger.warn({ consecutiveFailures: breaker.consecutiveFailures, openForMs: PSP_BREAKER_OPEN_MS }, "psp circuit opened");
  }
}

let client: Stripe | null = null;

export function getStripe(): Stripe {
  if (client) return client;
  const env = getEnv();
  client = usesPspSandbox(env)
    ? createStripeClient({ secretKey: SANDBOX_SECRET_KEY, sandboxUrl: env.PSP_SANDBOX_URL, timeoutMs: PSP_TIMEOUT_MS })
    : createStripeClient({ secretKey: env.STRIPE_SECRET_KEY!, timeoutMs: PSP_TIMEOUT_MS });
  return client;
}

/**
 * Points the gateway at a given PSP (tests start a sandbox on a random port). Pass null to go back
 * to the configured one. `maxNetworkRetries`/`timeoutMs` let fault tests make the SDK give up sooner.
 */
export function configurePspGateway(options: { sandboxUrl: string; maxNetworkRetries?: number; timeoutMs?: number } | null): void {
  resetPspCircuit();
  client = options
    ? createStripeClient({
        secretKey: SANDBOX_SECRET_KEY,
        sandboxUrl: options.sandboxUrl,
        maxNetworkRetries: options.maxNetworkRetries,
        timeoutMs: options.timeoutMs ?? PSP_TIMEOUT_MS,
      })
    : null;
}

export type PspOutcome<T> =
  | { kind: "ok"; value: T }
  /** 402: a card error. Stripe still persisted the PaymentIntent (in `error.payment_intent`). */
  | { kind: "card_error"; error: Stripe.errors.StripeCardError }
  /** 400/404/idempotency: the PSP refused the request definitively; nothing happened. */
  | { kind: "invalid"; error: Stripe.errors.StripeError }
  /** Retries exhausted on 429/5xx/409/connection errors: the PSP may or may not have acted. */
  | { kind: "ambiguous"; error: unknown };

function isRetryable(error: unknown): boolean {
  if (error instanceof Stripe.errors.StripeRateLimitError) return true;
  if (error instanceof Stripe.errors.StripeConnectionError) return true;
  if (error instanceof Stripe.errors.StripeAPIError) return true; // 409 lock_timeout, 5xx, invalid JSON
  if (error instanceof Stripe.errors.StripeInvalidRequestError && (error as { code?: string }).code === "rate_limit") return true;
  return !(error instanceof Stripe.errors.StripeError); // a socket error thrown outside the SDK's classes
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs one PSP call. `call` must pass the same `idempotencyKey` on every invocation (derived from our
 * own ids), so a retry after a dropped response replays the PSP's stored result instead of acting twice.
 */
export async function callPsp<T>(label: string, call: (stripe: Stripe) => Promise<T>, attemptsMax = PSP_ATTEMPTS_MAX): Promise<PspOutcome<T>> {
  // While the circuit is open, fail fast without calling: the caller treats it like any ambiguous outcome
  // (leaves the payment pending for the recovery job, which re-drives it with the same idempotency key).
  const circuit = getPspCircuitState();
  if (circuit.state === "open" || (circuit.state === "half_open" && breaker.probing)) {
    return { kind: "ambiguous", error: new Error("PSP circuit open: not called") };
  }
  const probe = circuit.state === "half_open";
  if (probe) breaker.probing = true;
  try {
    const outcome = await callPspWithRetries(label, call, attemptsMax);
    recordOutcome(outcome.kind === "ambiguous");
    return outcome;
  } finally {
    if (probe) breaker.probing = false;
  }
}

async function callPspWithRetries<T>(label: string, call: (stripe: Stripe) => Promise<T>, attemptsMax: number): Promise<PspOutcome<T>> {
  const started = Date.now();
  let lastError: unknown;
  for (let attempt = 1; attempt <= attemptsMax && Date.now() - started < PSP_CALL_DEADLINE_MS; attempt++) {
    try {
      return { kind: "ok", value: await call(getStripe()) };
    } catch (error) {
      lastError = error;
      if (error instanceof Stripe.errors.StripeCardError) return { kind: "card_error", error };
      if (!isRetryable(error)) {
        if (error instanceof Stripe.errors.StripeError) return { kind: "invalid", error };
        throw error;
      }
      logger.warn({ label, attempt, err: { type: (error as Error).name, message: (error as Error).message } }, "psp call failed, retrying");
      if (attempt < attemptsMax) {
        const backoff = Math.min(PSP_BACKOFF_CAP_MS, PSP_BACKOFF_BASE_MS * 2 ** (attempt - 1));
        await sleep(backoff / 2 + Math.random() * (backoff / 2));
      }
    }
  }
  return { kind: "ambiguous", error: lastError };
}

/** Stripe's error code, e.g. resource_missing or payment_intent_unexpected_state. */
export function pspErrorCode(error: unknown): string | undefined {
  return error instanceof Stripe.errors.StripeError ? (error.code ?? undefined) : undefined;
}
