// Processes stored PSP events: claim a batch (FOR UPDATE SKIP LOCKED, with a lease so a crashed worker's
// claim expires), run the type's handler, record processed/ignored, or failed with the error and a
// back-off; after ATTEMPTS_MAX the event is dead — still in the table, visible, for a human to replay.
import type Stripe from "stripe";
import { sqlPool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { PSP_EVENT_HANDLERS } from "./handlers";

export const PSP_EVENT_ATTEMPTS_MAX = 10;
/** How long a processing claim holds; a claim older than this (a crashed process) is taken again. */
const LEASE_SECONDS = 120;
const BATCH_MAX = 100;
const BACKOFF_BASE_SECONDS = 5;
const BACKOFF_CAP_SECONDS = 3600;
/** A deferred event (its payment's create call still in flight) is due again after this long. */
const DEFER_SECONDS = 5;

/** An event this process holds the processing claim of. */
type ClaimedPspEvent = { id: string; type: string; payload: Stripe.Event; attempts: number };

const DUE = `((status in ('pending', 'failed') and next_attempt_at <= now()) or (status = 'processing' and locked_until < now()))`;
const CLAIM_SET = `status = 'processing', attempts = attempts + 1, locked_until = now() + make_interval(secs => ${LEASE_SECONDS})`;

// Named prepared statements on the pg pool (this runs for every webhook; a Prisma query's client-side cost
// was a large part of it).
async function claim(limit: number): Promise<ClaimedPspEvent[]> {
  const { rows } = await sqlPool().query<ClaimedPspEvent>({
    name: "psp_events_claim_v1",
    text: `update psp_events set ${CLAIM_SET}
           where id in (select id from psp_events where ${DUE} order by psp_created_at, received_at limit $1 for update skip locked)
           returning id, type, payload, attempts`,
    values: [limit],
  });
  return rows;
}

async function finish(row: ClaimedPspEvent, status: "processed" | "ignored"): Promise<void> {
  await sqlPool().query({
    name: "psp_events_finish_v1",
    text: `update psp_events set status = $2, processed_at = now(), locked_until = null, last_error = null where id = $1`,
    values: [row.id, status],
  });
}

async function fail(row: ClaimedPspEvent, error: unknown): Promise<void> {
  const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
  const dead = row.attempts >= PSP_EVENT_ATTEMPTS_MAX;
  const delaySeconds = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (row.attempts - 1));
  await sqlPool().query({
    name: "psp_events_fail_v1",
    text: `update psp_events set status = $2, last_error = $3, locked_until = null, next_attempt_at = now() + make_interval(secs => $4::int)
           where id = $1`,
    values: [row.id, dead ? "dead" : "failed", message, delaySeconds],
  });
  logger[dead ? "error" : "warn"]({ eventId: row.id, type: row.type, attempts: row.attempts, err: error }, dead ? "PSP event gave up" : "PSP event failed; will retry");
}

/** Back to pending for a later pass, without counting the attempt (the handler chose to wait, nothing failed). */
async function defer(row: ClaimedPspEvent): Promise<void> {
  await sqlPool().query({
    name: "psp_events_defer_v1",
    text: `update psp_events set status = 'pending', attempts = attempts - 1, locked_until = null,
             next_attempt_at = now() + make_interval(secs => ${DEFER_SECONDS}) where id = $1`,
    values: [row.id],
  });
}

async function run(row: ClaimedPspEvent): Promise<void> {
  const handler = PSP_EVENT_HANDLERS[row.type];
  if (!handler) return finish(row, "ignored");
  try {
    const result = await handler(row.payload);
    await (result === "deferred" ? defer(row) : finish(row, result));
  } catch (error) {
    await fail(row, error);
  }
}

/** Processes due events until none are left or `maxEvents` is reached. Returns how many were handled. */
export async function processPspEvents(options: { maxEvents?: number } = {}): Promise<number> {
  const maxEvents = options.maxEvents ?? 1_000;
  let handled = 0;
  while (handled < maxEvents) {
    const batch = await claim(Math.min(BATCH_MAX, maxEvents - handled));
    if (batch.length === 0) break;
    for (const row of batch) await run(row);
    handled += batch.length;
  }
  return handled;
}
