// Writes a merchant event into the transactional outbox in the caller's transaction, with one pending
// delivery per subscribed webhook endpoint: the event and its deliveries commit (or roll back) with the
// change they report, and the delivery job sends them afterwards, at least once.
import { assert } from "@/lib/api/errors";
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { DELIVERY_HORIZON_MS } from "./delivery-schedule";
import { toEventJsonText } from "./event-json";

export type EnqueueMerchantEventInput = {
  merchantId: string;
  /** e.g. "payment.captured": lowercase words joined by dots. */
  type: string;
  /** e.g. "payment", "refund", "dispute". */
  objectType: string;
  objectId: string;
  /** The object's version after the change; receivers drop events older than what they have. */
  objectVersion: number;
  /** The object's API JSON (bigint amounts become numbers, or strings beyond 2^53). */
  payload: unknown;
};

const EVENT_TYPE = /^[a-z_]+(\.[a-z_]+)+$/;

type SubscribableEndpoint = { id: string; enabledEvents: string[] };

/**
 * The merchant's enabled endpoints, looked up once per transaction: a payment's transitions in one
 * transaction (authorized, captured, …) each enqueue an event, and one look-up serves them all. The memo
 * lives as long as the transaction object; an endpoint change made through the same transaction forgets it
 * (forgetSubscribableEndpoints), so the answer is what a fresh query in that transaction would return.
 */
const endpointsByTx = new WeakMap<object, Map<string, Promise<SubscribableEndpoint[]>>>();

function subscribableEndpoints(tx: Tx, merchantId: string): Promise<SubscribableEndpoint[]> {
  const query = () => tx.webhookEndpoint.findMany({ where: { merchantId, status: "enabled", deletedAt: null }, select: { id: true, enabledEvents: true } });
  // Only a transaction's client is memoised (it has no $connect); the root client would keep the memo forever.
  if (typeof (tx as { $connect?: unknown }).$connect === "function") return query();
  let byMerchant = endpointsByTx.get(tx);
  if (!byMerchant) endpointsByTx.set(tx, (byMerchant = new Map()));
  let endpoints = byMerchant.get(merchantId);
  if (!endpoints) {
    // A plain Promise (the query runs once), not the lazy PrismaPromise.
    endpoints = Promise.resolve(query());
    byMerchant.set(merchantId, endpoints);
  }
  return endpoints;
}

/** Called by every endpoint change made in `tx`, so later events in that transaction see it. */
export function forgetSubscribableEndpoints(tx: Tx, merchantId: string): void {
  endpointsByTx.get(tx)?.delete(merchantId);
}

/** An event's outbox rows, in the two steps enqueueMerchantEvent takes (see merchantEventOutbox). */
export type MerchantEventOutbox = {
  eventId: string;
  /** The merchant_events INSERT: a statement of its own, or a CTE in a statement of the caller's. */
  insert: Prisma.Sql;
  /** After the insert, in the same transaction: one pending delivery per subscribed endpoint. */
  deliver(tx: Tx): Promise<void>;
};

/**
 * An event's outbox rows without writing them: `insert` first (alone, or inside a statement that writes
 * the change's other rows, as transitionPayment does), then `deliver`, both in the transaction of the change.
 */
export function merchantEventOutbox(input: EnqueueMerchantEventInput, now: Date = new Date()): MerchantEventOutbox {
  assert(EVENT_TYPE.test(input.type), `event type must look like "payment.captured", got ${JSON.stringify(input.type)}`);
  assert(Number.isInteger(input.objectVersion) && input.objectVersion >= 1, "objectVersion must be a positive integer");
  assert(input.merchantId.length > 0 && input.objectId.length > 0, "merchantId and objectId are required");

  const eventId = newId("event", now.getTime());
  const insert = Prisma.sql`
    insert into merchant_events (id, merchant_id, type, object_type, object_id, object_version, payload, created_at)
    values (${eventId}, ${input.merchantId}, ${input.type}, ${input.objectType}, ${input.objectId}, ${input.objectVersion},
            ${toEventJsonText(input.payload)}::jsonb, ${now.toISOString()}::timestamptz)`;
  const deliver = async (tx: Tx) => {
    const endpoints = (await subscribableEndpoints(tx, input.merchantId)).filter(
      (endpoint) => endpoint.enabledEvents.includes("*") || endpoint.enabledEvents.includes(input.type),
    );
    if (endpoints.length === 0) return;
    await tx.webhookDelivery.createMany({
      data: endpoints.map((endpoint) => ({
        id: newId("webhookDelivery", now.getTime()),
        merchantId: input.merchantId,
        eventId,
        endpointId: endpoint.id,
        status: "pending",
        nextAttemptAt: now,
        giveUpAt: new Date(now.getTime() + DELIVERY_HORIZON_MS),
        createdAt: now,
      })),
    });
  };
  return { eventId, insert, deliver };
}

export async function enqueueMerchantEvent(tx: Tx, input: EnqueueMerchantEventInput, now: Date = new Date()): Promise<{ eventId: string }> {
  const outbox = merchantEventOutbox(input, now);
  await tx.$executeRaw(outbox.insert);
  await outbox.deliver(tx);
  return { eventId: outbox.eventId };
}
