// Sends merchant events to webhook endpoints, at least once: the job claims due deliveries (FOR UPDATE
// SKIP LOCKED, then a lease so no transaction stays open during HTTP), POSTs the signed event, logs the
// attempt, and either marks the delivery succeeded (2xx) or schedules the next attempt with back-off
// until the 3-day horizon. Manual resends and test events go through the same attempt code.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { runPollingLoop } from "@/lib/jobs/polling-loop";
import { logger } from "@/lib/log/logger";
import { nextAttemptAt } from "./delivery-schedule";
import { toMerchantEventJson } from "./event-json";
import { SIGNATURE_HEADER, signMerchantPayload } from "./sign-payload";
import { decryptSigningSecret } from "./signing-secret";
import { assertDeliverableHost, urlPolicyFromEnv, type UrlPolicy } from "./validate-endpoint-url";

export const REQUEST_TIMEOUT_MS = 10_000;
/** A claimed delivery is not claimed again for this long (covers the request timeout with margin). */
export const CLAIM_LEASE_MS = 2 * 60_000;
export const DELIVERY_BATCH_SIZE = 20;
export const RESPONSE_EXCERPT_MAX = 1_000;
const RESPONSE_READ_BYTES_MAX = 8 * 1024;

export type DeliveryOptions = {
  /** Injectable clock: every scheduling decision and the signature timestamp use it. */
  now?: () => Date;
  fetch?: typeof fetch;
  timeoutMs?: number;
  urlPolicy?: UrlPolicy;
};

export type AttemptTrigger = "automatic" | "manual" | "test";

export type AttemptOutcome = {
  deliveryId: string;
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  /** The delivery's status after this attempt. */
  status: "pending" | "succeeded" | "failed";
};

function clockOf(options: DeliveryOptions): () => Date {
  return options.now ?? (() => new Date());
}

/** Claims up to `batchSize` due deliveries and attempts each once, in parallel. */
export async function deliverDueWebhooks(options: DeliveryOptions & { batchSize?: number } = {}): Promise<AttemptOutcome[]> {
  const now = clockOf(options)();
  const batchSize = Math.min(Math.max(options.batchSize ?? DELIVERY_BATCH_SIZE, 1), 100);
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
  const claimed = await db().$queryRaw<{ id: string }[]>`
    with due as (
      select id from webhook_deliveries
      where status = 'pending' and next_attempt_at <= ${now}
      order by next_attempt_at, id
      limit ${batchSize}
      for update skip locked
    )
    update webhook_deliveries d set next_attempt_at = ${leaseUntil}, updated_at = now()
    from due where d.id = due.id
    returning d.id`;
  return Promise.all(claimed.map((row) => attemptDelivery(row.id, "automatic", options)));
}

/**
 * Delivers due webhooks until none are due or `budgetMs` has passed; the worker's cron job runs this
 * every minute, so a new event goes out within about `idleMs`.
 */
export async function runDeliveryLoop(options: DeliveryOptions & { budgetMs?: number; idleMs?: number } = {}): Promise<{ attempts: number }> {
  const attempts = await runPollingLoop({ budgetMs: options.budgetMs ?? 55_000, idleMs: options.idleMs ?? 1_000 }, async () => (await deliverDueWebhooks(options)).length);
  return { attempts };
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return `Timed out after ${timeoutMs} ms.`;
  const code = err?.cause?.code;
  if (code === "ECONNREFUSED") return "Connection refused.";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "The host name could not be resolved.";
  if (code === "ECONNRESET") return "The connection was reset.";
  if (code && /CERT|SSL|TLS/.test(code)) return `TLS error (${code}).`;
  return (err?.cause?.message ?? err?.message ?? "Request failed.").slice(0, 300);
}

async function readExcerpt(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < RESPONSE_READ_BYTES_MAX) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, RESPONSE_EXCERPT_MAX);
}

type Loaded = {
  id: string;
  merchantId: string;
  status: string;
  giveUpAt: Date;
  nextAttemptAt: Date | null;
  event: { id: string; type: string; objectType: string; objectId: string; objectVersion: number; payload: unknown; createdAt: Date };
  endpoint: {
    id: string;
    url: string;
    status: string;
    deletedAt: Date | null;
    secretEncrypted: Uint8Array;
    previousSecretEncrypted: Uint8Array | null;
    previousSecretExpiresAt: Date | null;
  };
};

async function loadDelivery(deliveryId: string): Promise<Loaded | null> {
  return db().webhookDelivery.findUnique({
    where: { id: deliveryId },
    select: {
      id: true,
      merchantId: true,
      status: true,
      giveUpAt: true,
      nextAttemptAt: true,
      event: { select: { id: true, type: true, objectType: true, objectId: true, objectVersion: true, payload: true, createdAt: true } },
      endpoint: {
        select: { id: true, url: true, status: true, deletedAt: true, secretEncrypted: true, previousSecretEncrypted: true, previousSecretExpiresAt: true },
      },
    },
  });
}

/** The secrets that sign now: the current one, and the previous one during its grace period. */
async function signingSecrets(delivery: Loaded, now: Date): Promise<string[]> {
  const { endpoint, merchantId } = delivery;
  const secrets = [await decryptSigningSecret(merchantId, endpoint.id, "secret_encrypted", endpoint.secretEncrypted)];
  if (endpoint.previousSecretEncrypted && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(await decryptSigningSecret(merchantId, endpoint.id, "previous_secret_encrypted", endpoint.previousSecretEncrypted));
  }
  return secrets;
}

/** One HTTP attempt of one delivery, logged, with the delivery's state updated. */
export async function attemptDelivery(deliveryId: string, trigger: AttemptTrigger, options: DeliveryOptions = {}): Promise<AttemptOutcome> {
  const clock = clockOf(options);
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const delivery = await loadDelivery(deliveryId);
  if (!delivery) throw new AppError("resource_missing", `No such webhook delivery: '${deliveryId}'`);
  if (trigger === "automatic" && delivery.status !== "pending") {
    return { deliveryId, succeeded: delivery.status === "succeeded", statusCode: null, error: null, status: delivery.status as AttemptOutcome["status"] };
  }
  if (delivery.endpoint.deletedAt || delivery.endpoint.status !== "enabled") {
    if (trigger !== "automatic") throw new AppError("invalid_state_transition", "The webhook endpoint is deleted or disabled; enable it before sending to it.");
    // A disabled or deleted endpoint gets nothing; the delivery ends and can be resent once enabled.
    await db().webhookDelivery.updateMany({
      where: { id: deliveryId, status: "pending" },
      data: { status: "failed", nextAttemptAt: null, lastError: "The endpoint is disabled or deleted." },
    });
    return { deliveryId, succeeded: false, statusCode: null, error: "The endpoint is disabled or deleted.", status: "failed" };
  }

  const now = clock();
  const body = JSON.stringify(toMerchantEventJson(delivery.event));
  const signature = signMerchantPayload(body, await signingSecrets(delivery, now), Math.floor(now.getTime() / 1000));
  const started = performance.now();
  let statusCode: number | null = null;
  let excerpt: string | null = null;
  let error: string | null = null;
  try {
    await assertDeliverableHost(delivery.endpoint.url, options.urlPolicy ?? urlPolicyFromEnv());
    const response = await (options.fetch ?? fetch)(delivery.endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Settle-Webhooks/1.0",
        [SIGNATURE_HEADER]: signature,
        "settle-event-id": delivery.event.id,
        "settle-delivery-id": delivery.id,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    statusCode = response.status;
    excerpt = await readExcerpt(response).catch(() => null);
    if (response.status >= 300 && response.status < 400) error = `Redirects are not followed (HTTP ${response.status}); use the final URL.`;
    else if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}.`;
  } catch (caught) {
    error = caught instanceof AppError ? caught.message : describeFetchError(caught, timeoutMs);
  }
  const latencyMs = Math.max(0, Math.round(performance.now() - started));
  const succeeded = error === null;
  const finishedAt = clock();

  const status = await db().$transaction(async (tx) => {
    const updated = await tx.webhookDelivery.update({
      where: { id: deliveryId },
      data: { attemptCount: { increment: 1 }, lastAttemptAt: finishedAt, lastStatusCode: statusCode, lastError: error },
      select: { attemptCount: true, status: true, giveUpAt: true, nextAttemptAt: true },
    });
    await tx.webhookDeliveryAttempt.create({
      data: {
        deliveryId,
        merchantId: delivery.merchantId,
        endpointId: delivery.endpoint.id,
        eventId: delivery.event.id,
        attemptNumber: updated.attemptCount,
        trigger,
        succeeded,
        statusCode,
        latencyMs,
        responseExcerpt: excerpt,
        error,
        createdAt: finishedAt,
      },
      select: { id: true },
    });
    if (succeeded) {
      await tx.webhookDelivery.updateMany({
        where: { id: deliveryId, status: { not: "succeeded" } },
        data: { status: "succeeded", deliveredAt: finishedAt, nextAttemptAt: null },
      });
      return "succeeded" as const;
    }
    if (updated.status !== "pending") return updated.status as "succeeded" | "failed";
    // A manual resend that fails leaves an automatic schedule alone; otherwise schedule or give up.
    if (trigger === "manual" && updated.nextAttemptAt && finishedAt < updated.giveUpAt) return "pending" as const;
    const next = trigger === "test" ? null : nextAttemptAt(updated.attemptCount, finishedAt, updated.giveUpAt);
    await tx.webhookDelivery.updateMany({
      where: { id: deliveryId, status: "pending" },
      data: next ? { nextAttemptAt: next } : { status: "failed", nextAttemptAt: null },
    });
    return next ? ("pending" as const) : ("failed" as const);
  });
  if (!succeeded) logger.info({ deliveryId, endpointId: delivery.endpoint.id, statusCode, error, status }, "webhook delivery attempt failed");
  return { deliveryId, succeeded, statusCode, error, status };
}
