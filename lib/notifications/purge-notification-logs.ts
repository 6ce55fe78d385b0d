// Keeps the event log, delivery log and email outbox bounded: finished records older than the retention
// are deleted in batches (events are listed for 30 days by Stripe; Settle keeps 90).
import { db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

export const EVENT_RETENTION_DAYS = 90;
const PURGE_BATCH_SIZE = 1_000;
const PURGE_BATCHES_MAX = 100;

export async function purgeNotificationLogs(now: Date = new Date()): Promise<{ events: number; emails: number }> {
  const eventCutoff = new Date(now.getTime() - EVENT_RETENTION_DAYS * 86_400_000);
  const emailCutoff = new Date(now.getTime() - getEnv().EMAIL_RETENTION_DAYS * 86_400_000);
  let events = 0;
  for (let batch = 0; batch < PURGE_BATCHES_MAX; batch++) {
    // Events with a pending delivery stay until it finishes (at most 3 days after the event). Children
    // first, in separate statements: the foreign keys are ON DELETE RESTRICT, checked row by row.
    const deleted = await db().$transaction(async (tx) => {
      const old = await tx.$queryRaw<{ id: string }[]>`
        select e.id from merchant_events e
        where e.created_at < ${eventCutoff}
          and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
        limit ${PURGE_BATCH_SIZE}
        for update skip locked`;
      const ids = old.map((row) => row.id);
      if (ids.length === 0) return 0;
      await tx.webhookDeliveryAttempt.deleteMany({ where: { eventId: { in: ids } } });
      await tx.webhookDelivery.deleteMany({ where: { eventId: { in: ids } } });
      return (await tx.merchantEvent.deleteMany({ where: { id: { in: ids } } })).count;
    });
    events += deleted;
    if (deleted < PURGE_BATCH_SIZE) break;
  }
  const emails = await db().emailMessage.deleteMany({ where: { createdAt: { lt: emailCutoff }, status: { in: ["sent", "stored", "skipped", "failed"] } } });
  return { events, emails: emails.count };
}
