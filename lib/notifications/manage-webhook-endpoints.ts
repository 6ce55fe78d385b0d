// Webhook endpoints: create (the secret is returned once), list, get, update, delete, roll the secret.
// Every change writes an audit row in its transaction.
import { AppError } from "@/lib/api/errors";
import { finishPage, idPage, listResponse, type ListResponse, type TListQuery } from "@/lib/api/pagination";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db, type Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { forgetSubscribableEndpoints } from "./enqueue-merchant-event";
import { decryptSigningSecret, encryptSigningSecret, generateSigningSecret } from "./signing-secret";
import { validateEndpointUrl, type UrlPolicy } from "./validate-endpoint-url";
import type {
  TCreateWebhookEndpointRequest,
  TRollSecretRequest,
  TUpdateWebhookEndpointRequest,
  WebhookEndpointDto,
  WebhookEndpointWithSecretDto,
} from "./webhook-endpoints.types";

/** Endpoints per merchant (Stripe allows 16). */
export const ENDPOINTS_PER_MERCHANT_MAX = 16;

const ENDPOINT_SELECT = {
  id: true,
  url: true,
  description: true,
  enabledEvents: true,
  status: true,
  previousSecretExpiresAt: true,
  createdAt: true,
} as const;

type EndpointRow = { id: string; url: string; description: string | null; enabledEvents: string[]; status: string; previousSecretExpiresAt: Date | null; createdAt: Date };

export function toWebhookEndpointDto(row: EndpointRow, now: Date = new Date()): WebhookEndpointDto {
  const previousActive = row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null;
  return {
    id: row.id,
    object: "webhook_endpoint",
    url: row.url,
    description: row.description,
    enabled_events: row.enabledEvents,
    status: row.status === "disabled" ? "disabled" : "enabled",
    previous_secret_expires: previousActive?.toISOString() ?? null,
    created: row.createdAt.toISOString(),
  };
}

/** Every endpoint change runs here: it also forgets the transaction's memo of the merchant's endpoints. */
async function inTransaction<T>(tx: Tx | undefined, merchantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  const run = (tx: Tx) => {
    forgetSubscribableEndpoints(tx, merchantId);
    return work(tx);
  };
  return tx ? run(tx) : db().$transaction(run);
}

function normaliseEvents(events: readonly string[]): string[] {
  const unique = [...new Set(events)];
  return unique.includes("*") ? ["*"] : unique.sort();
}

function missing(id: string): AppError {
  return new AppError("resource_missing", `No such webhook endpoint: '${id}'`, { param: "id" });
}

export async function createWebhookEndpoint(
  input: { merchantId: string; actor: Actor; urlPolicy?: UrlPolicy } & TCreateWebhookEndpointRequest,
  tx?: Tx,
): Promise<WebhookEndpointWithSecretDto> {
  const url = validateEndpointUrl(input.url, input.urlPolicy);
  return inTransaction(tx, input.merchantId, async (tx) => {
    const existing = await tx.webhookEndpoint.count({ where: { merchantId: input.merchantId, deletedAt: null } });
    if (existing >= ENDPOINTS_PER_MERCHANT_MAX) {
      throw new AppError("parameter_invalid", `A merchant can have at most ${ENDPOINTS_PER_MERCHANT_MAX} webhook endpoints; delete one first.`);
    }
    const id = newId("webhookEndpoint");
    const secret = generateSigningSecret();
    const row = await tx.webhookEndpoint.create({
      data: {
        id,
        merchantId: input.merchantId,
        url,
        description: input.description || null,
        enabledEvents: normaliseEvents(input.enabled_events),
        secretEncrypted: await encryptSigningSecret(tx, input.merchantId, id, "secret_encrypted", secret),
      },
      select: ENDPOINT_SELECT,
    });
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "webhook_endpoint.created", target: { type: "webhook_endpoint", id }, data: { url, enabled_events: row.enabledEvents } },
      tx,
    );
    return { ...toWebhookEndpointDto(row), secret };
  });
}

export async function listWebhookEndpoints(merchantId: string, query: TListQuery): Promise<ListResponse<WebhookEndpointDto>> {
  const page = idPage(query);
  const rows = await db().webhookEndpoint.findMany({
    where: { merchantId, deletedAt: null, ...page.where },
    orderBy: page.orderBy,
    take: page.take,
    select: ENDPOINT_SELECT,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/webhook_endpoints", data.map((row) => toWebhookEndpointDto(row)), hasMore);
}

export async function getWebhookEndpoint(merchantId: string, id: string): Promise<WebhookEndpointDto> {
  const row = await db().webhookEndpoint.findFirst({ where: { id, merchantId, deletedAt: null }, select: ENDPOINT_SELECT });
  if (!row) throw missing(id);
  return toWebhookEndpointDto(row);
}

export async function updateWebhookEndpoint(
  input: { merchantId: string; id: string; actor: Actor; urlPolicy?: UrlPolicy } & TUpdateWebhookEndpointRequest,
  tx?: Tx,
): Promise<WebhookEndpointDto> {
  const url = input.url === undefined ? undefined : validateEndpointUrl(input.url, input.urlPolicy);
  return inTransaction(tx, input.merchantId, async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: input.id, merchantId: input.merchantId, deletedAt: null },
      data: {
        url,
        enabledEvents: input.enabled_events ? normaliseEvents(input.enabled_events) : undefined,
        description: input.description === undefined ? undefined : input.description || null,
        status: input.disabled === undefined ? undefined : input.disabled ? "disabled" : "enabled",
      },
    });
    if (count !== 1) throw missing(input.id);
    const changes = Object.fromEntries(
      Object.entries({ url, enabled_events: input.enabled_events, description: input.description, disabled: input.disabled }).filter(([, v]) => v !== undefined),
    );
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "webhook_endpoint.updated", target: { type: "webhook_endpoint", id: input.id }, data: changes },
      tx,
    );
    const row = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: input.id }, select: ENDPOINT_SELECT });
    return toWebhookEndpointDto(row);
  });
}

/** Deletes an endpoint: it receives nothing more, its pending deliveries end, its log stays. */
export async function deleteWebhookEndpoint(
  input: { merchantId: string; id: string; actor: Actor; now?: Date },
  tx?: Tx,
): Promise<{ id: string; object: "webhook_endpoint"; deleted: true }> {
  const now = input.now ?? new Date();
  return inTransaction(tx, input.merchantId, async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: input.id, merchantId: input.merchantId, deletedAt: null },
      data: { deletedAt: now, status: "disabled", previousSecretEncrypted: null, previousSecretExpiresAt: null },
    });
    if (count !== 1) throw missing(input.id);
    await tx.webhookDelivery.updateMany({
      where: { endpointId: input.id, status: "pending" },
      data: { status: "failed", nextAttemptAt: null, lastError: "The endpoint was deleted." },
    });
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "webhook_endpoint.deleted", target: { type: "webhook_endpoint", id: input.id } },
      tx,
    );
    return { id: input.id, object: "webhook_endpoint" as const, deleted: true as const };
  });
}

/**
 * A new signing secret, returned once. The current one becomes the previous secret and keeps signing
 * (a second v1= in the header) for `expires_in_hours`, so receivers can switch without dropping events.
 */
export async function rollWebhookEndpointSecret(
  input: { merchantId: string; id: string; actor: Actor; now?: Date } & TRollSecretRequest,
  tx?: Tx,
): Promise<WebhookEndpointWithSecretDto> {
  const now = input.now ?? new Date();
  return inTransaction(tx, input.merchantId, async (tx) => {
    // Lock the row: two concurrent rolls must not both demote the same secret.
    const [current] = await tx.$queryRaw<{ secret_encrypted: Uint8Array }[]>`
      select secret_encrypted from webhook_endpoints
      where id = ${input.id} and merchant_id = ${input.merchantId} and deleted_at is null
      for update`;
    if (!current) throw missing(input.id);
    const previous = await decryptSigningSecret(input.merchantId, input.id, "secret_encrypted", current.secret_encrypted);
    const secret = generateSigningSecret();
    const expiresAt = new Date(now.getTime() + input.expires_in_hours * 3_600_000);
    const row = await tx.webhookEndpoint.update({
      where: { id: input.id },
      data: {
        secretEncrypted: await encryptSigningSecret(tx, input.merchantId, input.id, "secret_encrypted", secret),
        previousSecretEncrypted: input.expires_in_hours > 0 ? await encryptSigningSecret(tx, input.merchantId, input.id, "previous_secret_encrypted", previous) : null,
        previousSecretExpiresAt: input.expires_in_hours > 0 ? expiresAt : null,
      },
      select: ENDPOINT_SELECT,
    });
    await recordAuditEvent(
      {
        merchantId: input.merchantId,
        actor: input.actor,
        action: "webhook_endpoint.secret_rolled",
        target: { type: "webhook_endpoint", id: input.id },
        data: { previous_secret_expires: input.expires_in_hours > 0 ? expiresAt.toISOString() : null },
      },
      tx,
    );
    return { ...toWebhookEndpointDto(row, now), secret };
  });
}
