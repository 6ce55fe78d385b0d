// Webhook intake: verify Stripe-Signature on the raw body (bad, missing or stale → 400, nothing stored),
// insert the event under its unique id (a duplicate is acknowledged and ignored), answer fast. The work
// happens in processPspEvents, retried with back-off; an event the caller will process at once is stored
// already claimed (the claim processPspEvents would take, lease included), one statement instead of two.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";
import { getStripe } from "@/lib/psp/psp-gateway";
import { PSP_EVENT_LEASE_SECONDS, type ClaimedPspEvent } from "./process-psp-events";

/** Stripe's default: signatures older than this are refused (replay protection). */
const SIGNATURE_TOLERANCE_SECONDS = 300;

export type ReceivedPspWebhook = {
  eventId: string;
  type: string;
  duplicate: boolean;
  /** With `claim`: the stored event, its processing claim held by the caller (null for a duplicate). */
  claimed: ClaimedPspEvent | null;
};

/**
 * Verifies and stores one webhook. `claim`: the caller processes the event right away
 * (processClaimedPspEvent), so it is stored as processing with a lease; if the caller dies first, the
 * lease runs out and the psp.process-events job takes it, as it would a crashed worker's claim.
 */
export async function receivePspWebhook(rawBody: string, signature: string | null, options: { claim?: boolean } = {}): Promise<ReceivedPspWebhook> {
  if (!signature) throw new AppError("parameter_missing", "Missing Stripe-Signature header.", { param: "stripe-signature" });
  let event: Stripe.Event;
  try {
    event = getStripe().webhooks.constructEvent(rawBody, signature, getEnv().STRIPE_WEBHOOK_SECRET, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    throw new AppError("parameter_invalid", `Webhook signature verification failed: ${(error as Error).message}`, { param: "stripe-signature" });
  }
  const object = event.data?.object as { id?: string } | undefined;
  // A named prepared statement on the pg pool: intake runs per webhook, and a Prisma query's client-side
  // cost was a large part of it. The body is stored as received (it is the JSON the signature covers).
  const values = [event.id, event.type, object?.id ?? null, rawBody, new Date(event.created * 1000)];
  const { rowCount } = options.claim
    ? await sqlPool().query({
        name: "psp_event_insert_claimed_v1",
        text: `insert into psp_events (id, type, object_id, payload, psp_created_at, status, attempts, locked_until)
               values ($1, $2, $3, $4::jsonb, $5, 'processing', 1, now() + make_interval(secs => ${PSP_EVENT_LEASE_SECONDS}))
               on conflict (id) do nothing`,
        values,
      })
    : await sqlPool().query({
        name: "psp_event_insert_v1",
        text: `insert into psp_events (id, type, object_id, payload, psp_created_at)
               values ($1, $2, $3, $4::jsonb, $5) on conflict (id) do nothing`,
        values,
      });
  const duplicate = rowCount === 0;
  const claimed = options.claim && !duplicate ? { id: event.id, type: event.type, payload: event, attempts: 1 } : null;
  return { eventId: event.id, type: event.type, duplicate, claimed };
}

export type PspEventRow = Prisma.PspEventGetPayload<object>;
