// The audit log as the dashboard reads it: one merchant's rows, newest first, filtered by actor, action,
// target and time range, paged by seq (keyset). Viewing it is itself audited (audit_log.viewed).
import { z } from "zod";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

export const AUDIT_PAGE_SIZE_MAX = 200;

const ZDateTime = z
  .string()
  .trim()
  .max(40)
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be a date and time")
  .transform((value) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`));

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" || value === null ? undefined : value), schema.optional());

/** Filters as they arrive in the page's query string (blank fields mean "any"). Times without a zone are UTC. */
export const ZAuditLogFilters = z.object({
  /** A user's email, or an actor id (usr_…, key_…, "retention"). */
  actor: optional(z.string().trim().max(254)),
  /** An exact action ("customer.erased") or a prefix ending in "." ("customer."). */
  action: optional(z.string().trim().max(100)),
  /** The id of the object acted on. */
  target: optional(z.string().trim().max(100)),
  from: optional(ZDateTime),
  to: optional(ZDateTime),
  /** Keyset cursor: rows with seq below this. */
  before: optional(z.string().regex(/^\d{1,19}$/).transform(BigInt)),
  limit: optional(z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX)),
});
export type TAuditLogFilters = z.infer<typeof ZAuditLogFilters>;

export type AuditEventView = {
  seq: string;
  id: string;
  createdAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  sealed: boolean;
};

export async function listAuditEvents(merchantId: string, filters: TAuditLogFilters): Promise<{ events: AuditEventView[]; nextBefore: string | null }> {
  const limit = filters.limit ?? 50;
  const where: Prisma.AuditEventWhereInput = { merchantId };
  if (filters.actor) {
    if (filters.actor.includes("@")) {
      const user = await db().user.findFirst({ where: { merchantId, email: filters.actor.toLowerCase() }, select: { id: true } });
      where.actorId = user?.id ?? `unknown:${filters.actor.toLowerCase()}`;
    } else {
      where.actorId = filters.actor;
    }
  }
  if (filters.action) where.action = filters.action.endsWith(".") ? { startsWith: filters.action } : filters.action;
  if (filters.target) where.targetId = filters.target;
  if (filters.from || filters.to) where.createdAt = { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lte: filters.to } : {}) };
  if (filters.before !== undefined) where.seq = { lt: filters.before };
  const rows = await db().auditEvent.findMany({
    where,
    orderBy: { seq: "desc" },
    take: limit + 1,
    select: { seq: true, id: true, createdAt: true, actorType: true, actorId: true, action: true, targetType: true, targetId: true, ip: true, hash: true },
  });
  const page = rows.slice(0, limit);
  const userIds = [...new Set(page.filter((row) => row.actorType === "user" && row.actorId).map((row) => row.actorId!))];
  const users = new Map(
    (await db().user.findMany({ where: { merchantId, id: { in: userIds } }, select: { id: true, email: true } })).map((user) => [user.id, user.email]),
  );
  const events = page.map((row) => ({
    seq: row.seq.toString(),
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    actorLabel: (row.actorId && users.get(row.actorId)) ?? row.actorId ?? row.actorType,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    sealed: row.hash !== null,
  }));
  return { events, nextBefore: rows.length > limit ? page.at(-1)!.seq.toString() : null };
}

/** Records that someone looked at the audit log (or was refused), with the filters they used. */
export async function recordAuditLogAccess(input: { merchantId: string; actor: Actor; allowed: boolean; filters?: Record<string, string> }): Promise<void> {
  await recordAuditEvent({
    merchantId: input.merchantId,
    actor: input.actor,
    action: input.allowed ? "audit_log.viewed" : "audit_log.access_denied",
    target: { type: "audit_log", id: input.merchantId },
    // Which filters were used, not their values: an actor filter may be a colleague's email.
    data: { filters: Object.keys(input.filters ?? {}).sort() },
  });
}
