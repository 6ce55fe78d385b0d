// Writes one audit row, in the caller's transaction when given, so the record commits with the change.
// Rows are sealed into the per-merchant hash chain afterwards (see seal-audit-chain.ts).
import type { Db, Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { Prisma } from "@/lib/generated/prisma/client";

export type Actor =
  | { type: "user"; id: string; ip?: string | null; userAgent?: string | null; requestId?: string | null }
  | { type: "api_key"; id: string; ip?: string | null; userAgent?: string | null; requestId?: string | null }
  | { type: "system"; id: string; requestId?: string | null };

export type AuditEventInput = {
  merchantId: string | null;
  actor: Actor;
  action: string;
  target?: { type: string; id: string };
  data?: Prisma.InputJsonValue;
};

export async function recordAuditEvent(input: AuditEventInput, client: Tx | Db = db()): Promise<void> {
  const { actor } = input;
  await client.auditEvent.create({
    data: {
      id: newId("audit"),
      merchantId: input.merchantId,
      actorType: actor.type,
      actorId: actor.id,
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      ip: "ip" in actor ? (actor.ip ?? null) : null,
      userAgent: "userAgent" in actor ? (actor.userAgent ?? null) : null,
      requestId: actor.requestId ?? null,
      data: input.data,
    },
    select: { seq: true },
  });
}
