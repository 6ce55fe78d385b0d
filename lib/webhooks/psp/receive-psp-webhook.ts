// Webhook intake: verify Stripe-Signature on the raw body (bad, missing or stale → 400, nothing stored),
// insert the event under its unique id (a duplicate is acknowledged and ignored), answer fast. The work
// happens in processPspEvents, retried with back-off.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
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
  const inserted = await db().$executeRaw`
    insert into psp_events (id, type, object_id, payload, psp_created_at)
    values (${event.id}, ${event.type}, ${object?.id ?? null}, ${JSON.stringify(event)}::jsonb, ${new Date(event.created * 1000)})
    on conflict (id) do nothing`;
  return { eventId: event.id, type: event.type, duplicate: inserted === 0 };
}

export type PspEventRow = Prisma.PspEventGetPayload<object>;
