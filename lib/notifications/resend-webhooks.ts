// Manual sends: resend one delivery, resend an event (to its endpoints or to one chosen endpoint), and
// the test event of an endpoint. Each makes one attempt now and answers with the delivery and its log.
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { attemptDelivery, type DeliveryOptions } from "./deliver-webhooks";
import { getDelivery } from "./list-deliveries";
import { toWebhookEndpointDto } from "./manage-webhook-endpoints";
import type { WebhookDeliveryDto } from "./webhook-endpoints.types";

/** Endpoints an event can be resent to at once (the per-merchant endpoint limit). */
const RESEND_FANOUT_MAX = 16;

async function deliveryOrThrow(merchantId: string, deliveryId: string): Promise<WebhookDeliveryDto> {
  const delivery = await getDelivery(merchantId, deliveryId);
  if (!delivery) throw new AppError("resource_missing", `No such webhook delivery: '${deliveryId}'`, { param: "id" });
  return delivery;
}

export async function resendDelivery(
  input: { merchantId: string; deliveryId: string; actor: Actor },
  options: DeliveryOptions = {},
): Promise<WebhookDeliveryDto> {
  await deliveryOrThrow(input.merchantId, input.deliveryId);
  await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: "webhook_delivery.resent", target: { type: "webhook_delivery", id: input.deliveryId } });
  await attemptDelivery(input.deliveryId, "manual", options);
  return deliveryOrThrow(input.merchantId, input.deliveryId);
}

export async function resendEvent(
  input: { merchantId: string; eventId: string; webhookEndpointId?: string; actor: Actor },
  options: DeliveryOptions = {},
): Promise<{ object: "list"; data: WebhookDeliveryDto[]; has_more: false; url: string }> {
  const now = (options.now ?? (() => new Date()))();
  const event = await db().merchantEvent.findFirst({ where: { id: input.eventId, merchantId: input.merchantId }, select: { id: true, type: true } });
  if (!event) throw new AppError("resource_missing", `No such event: '${input.eventId}'`, { param: "id" });

  let deliveryIds: string[];
  if (input.webhookEndpointId) {
    const endpoint = await db().webhookEndpoint.findFirst({
      where: { id: input.webhookEndpointId, merchantId: input.merchantId, deletedAt: null },
      select: { id: true, enabledEvents: true },
    });
    if (!endpoint) throw new AppError("resource_missing", `No such webhook endpoint: '${input.webhookEndpointId}'`, { param: "webhook_endpoint" });
    if (!endpoint.enabledEvents.includes("*") && !endpoint.enabledEvents.includes(event.type)) {
      throw new AppError("parameter_invalid", `The endpoint is not subscribed to ${event.type}.`, { param: "webhook_endpoint" });
    }
    // An endpoint created after the event has no delivery yet: make one that only this resend attempts.
    const delivery = await db().webhookDelivery.upsert({
      where: { eventId_endpointId: { eventId: event.id, endpointId: endpoint.id } },
      create: { id: newId("webhookDelivery"), merchantId: input.merchantId, eventId: event.id, endpointId: endpoint.id, status: "pending", nextAttemptAt: null, giveUpAt: now },
      update: {},
      select: { id: true },
    });
    deliveryIds = [delivery.id];
  } else {
    const deliveries = await db().webhookDelivery.findMany({
      where: { eventId: event.id, merchantId: input.merchantId, endpoint: { deletedAt: null, status: "enabled" } },
      select: { id: true },
      take: RESEND_FANOUT_MAX,
    });
    if (deliveries.length === 0) throw new AppError("invalid_state_transition", "This event has no enabled endpoint to resend to; name one with webhook_endpoint.");
    deliveryIds = deliveries.map((delivery) => delivery.id);
  }
  await recordAuditEvent({
    merchantId: input.merchantId,
    actor: input.actor,
    action: "event.resent",
    target: { type: "event", id: event.id },
    data: { deliveries: deliveryIds },
  });
  await Promise.all(deliveryIds.map((id) => attemptDelivery(id, "manual", options)));
  const data = await Promise.all(deliveryIds.map((id) => deliveryOrThrow(input.merchantId, id)));
  return { object: "list", data, has_more: false, url: `/api/v1/events/${event.id}/resend` };
}

/**
 * Sends a `webhook_endpoint.test` event to one endpoint only (it is not fanned out to the merchant's
 * other endpoints) and attempts it at once, without automatic retries.
 */
export async function sendTestEvent(
  input: { merchantId: string; webhookEndpointId: string; actor: Actor },
  options: DeliveryOptions = {},
): Promise<WebhookDeliveryDto> {
  const now = (options.now ?? (() => new Date()))();
  const deliveryId = await db().$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findFirst({
      where: { id: input.webhookEndpointId, merchantId: input.merchantId, deletedAt: null },
      select: { id: true, url: true, description: true, enabledEvents: true, status: true, previousSecretExpiresAt: true, createdAt: true },
    });
    if (!endpoint) throw new AppError("resource_missing", `No such webhook endpoint: '${input.webhookEndpointId}'`, { param: "id" });
    const eventId = newId("event", now.getTime());
    await tx.merchantEvent.create({
      data: {
        id: eventId,
        merchantId: input.merchantId,
        type: "webhook_endpoint.test",
        objectType: "webhook_endpoint",
        objectId: endpoint.id,
        objectVersion: 1,
        payload: toWebhookEndpointDto(endpoint, now) as unknown as Prisma.InputJsonValue,
        createdAt: now,
      },
      select: { id: true },
    });
    const id = newId("webhookDelivery", now.getTime());
    await tx.webhookDelivery.create({
      data: { id, merchantId: input.merchantId, eventId, endpointId: endpoint.id, status: "pending", nextAttemptAt: null, giveUpAt: now, createdAt: now },
      select: { id: true },
    });
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "webhook_endpoint.test_sent", target: { type: "webhook_endpoint", id: endpoint.id }, data: { event: eventId } },
      tx,
    );
    return id;
  });
  await attemptDelivery(deliveryId, "test", options);
  return deliveryOrThrow(input.merchantId, deliveryId);
}
