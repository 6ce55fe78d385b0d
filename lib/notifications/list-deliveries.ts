// The delivery log: deliveries of an endpoint or of an event, each with its latest attempts.
import { finishPage, idPage, listResponse, type ListResponse, type TListQuery } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import type { WebhookAttemptDto, WebhookDeliveryDto } from "./webhook-endpoints.types";

/** Attempts shown per delivery in a list (the newest). */
export const ATTEMPTS_PER_DELIVERY_MAX = 20;

const DELIVERY_SELECT = {
  id: true,
  eventId: true,
  endpointId: true,
  status: true,
  attemptCount: true,
  nextAttemptAt: true,
  lastStatusCode: true,
  lastError: true,
  deliveredAt: true,
  createdAt: true,
  event: { select: { type: true } },
  attempts: {
    orderBy: { id: "desc" as const },
    take: ATTEMPTS_PER_DELIVERY_MAX,
    select: { id: true, attemptNumber: true, trigger: true, succeeded: true, statusCode: true, latencyMs: true, responseExcerpt: true, error: true, createdAt: true },
  },
} as const;

type DeliveryRow = {
  id: string;
  eventId: string;
  endpointId: string;
  status: string;
  attemptCount: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  event: { type: string };
  attempts: { id: bigint; attemptNumber: number; trigger: string; succeeded: boolean; statusCode: number | null; latencyMs: number; responseExcerpt: string | null; error: string | null; createdAt: Date }[];
};

function toAttemptDto(row: DeliveryRow["attempts"][number]): WebhookAttemptDto {
  return {
    id: `whatt_${row.id.toString()}`,
    object: "webhook_delivery_attempt",
    attempt_number: row.attemptNumber,
    trigger: row.trigger as WebhookAttemptDto["trigger"],
    succeeded: row.succeeded,
    status_code: row.statusCode,
    latency_ms: row.latencyMs,
    response_excerpt: row.responseExcerpt,
    error: row.error,
    created: row.createdAt.toISOString(),
  };
}

export function toDeliveryDto(row: DeliveryRow): WebhookDeliveryDto {
  return {
    id: row.id,
    object: "webhook_delivery",
    event: row.eventId,
    event_type: row.event.type,
    webhook_endpoint: row.endpointId,
    status: row.status as WebhookDeliveryDto["status"],
    attempt_count: row.attemptCount,
    next_attempt: row.status === "pending" ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    last_status_code: row.lastStatusCode,
    last_error: row.lastError,
    delivered: row.deliveredAt?.toISOString() ?? null,
    created: row.createdAt.toISOString(),
    attempts: row.attempts.map(toAttemptDto),
  };
}

export async function listDeliveries(
  merchantId: string,
  filter: { endpointId?: string; eventId?: string },
  query: TListQuery,
): Promise<ListResponse<WebhookDeliveryDto>> {
  const page = idPage(query);
  const rows = await db().webhookDelivery.findMany({
    where: { merchantId, ...(filter.endpointId ? { endpointId: filter.endpointId } : {}), ...(filter.eventId ? { eventId: filter.eventId } : {}), ...page.where },
    orderBy: page.orderBy,
    take: page.take,
    select: DELIVERY_SELECT,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  const url = filter.endpointId ? `/api/v1/webhook_endpoints/${filter.endpointId}/deliveries` : "/api/v1/webhook_deliveries";
  return listResponse(url, data.map(toDeliveryDto), hasMore);
}

export async function getDelivery(merchantId: string, id: string): Promise<WebhookDeliveryDto | null> {
  const row = await db().webhookDelivery.findFirst({ where: { id, merchantId }, select: DELIVERY_SELECT });
  return row ? toDeliveryDto(row) : null;
}
