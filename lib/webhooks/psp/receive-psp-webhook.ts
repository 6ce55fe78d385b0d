// Webhook intake: verify Stripe-Signature on the raw body (bad, missing or stale → 400, nothing stored),
// insert the event under its unique id (a duplicate is acknowledged and ignored), answer fast. The work
// happens in processPspEvents (the worker's loop), retried with back-off.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";
import { getStripe } from "@/lib/psp/psp-gateway";

/** Stripe's default: signatures older than this are refused (replay protection). */
const SIGNATURE_TOLERANCE_SECONDS = 300;

export async function receivePspWebhook(rawBody: string, signature: string | null): Promise<{ eventId: string; type: string; duplicate: boolean }> {
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
  const { rowCount } = await sqlPool().query({
    name: "psp_event_insert_v1",
    text: `insert into psp_events (id, type, object_id, payload, psp_created_at)
           values ($1, $2, $3, $4::jsonb, $5) on conflict (id) do nothing`,
    values: [event.id, event.type, object?.id ?? null, rawBody, new Date(event.created * 1000)],
  });
  return { eventId: event.id, type: event.type, duplicate: rowCount === 0 };
}

export type PspEventRow = Prisma.PspEventGetPayload<object>;
