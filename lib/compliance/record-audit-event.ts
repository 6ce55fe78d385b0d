// Writes one audit row, in the caller's transaction when given, so the record commits with the change.
// Rows are sealed into the per-merchant hash chain afterwards (see seal-audit-chain.ts).
//
// Every insert first takes a shared transaction-level advisory lock (AUDIT_INSERT_LOCK), held until the
// inserting transaction ends. The sealer briefly takes the same lock exclusively to learn a horizon: once
// it holds it, every audit seq already handed out belongs to a committed or rolled-back row, so rows at
// or below the horizon can be chained in seq order without a lower seq committing later and breaking the
// chain. Insert audit rows only through these functions.
import { createHash } from "node:crypto";
import type pg from "pg";
import type { Db, Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { Prisma } from "@/lib/generated/prisma/client";

export type Actor =
  | { type: "user"; id: string; ip?: string | null; userAgent?: string | null; requestId?: string | null }
  | { type: "api_key"; id: string; ip?: string | null; userAgent?: string | null; requestId?: string | null }
  | { type: "system"; id: string; requestId?: string | null };

export type AuditEventInput = {
  merchantId: string | null;
  actor: Actor;
  action: string;
  target?: { type: string; id: string };
  /** Never personal data: the audit log cannot be erased. Ids, counts and field names are fine. */
  data?: Prisma.InputJsonValue;
};

/** Advisory lock key shared by audit inserters (shared mode) and the sealer's horizon (exclusive). */
export const AUDIT_INSERT_LOCK = createHash("sha256").update("settle:audit_events:insert").digest().readBigInt64BE(0);

function columns(input: AuditEventInput) {
  const { actor } = input;
  return [
    newId("audit"),
    input.merchantId,
    actor.type,
    actor.id,
    input.action,
    input.target?.type ?? null,
    input.target?.id ?? null,
    "ip" in actor ? (actor.ip ?? null) : null,
    "userAgent" in actor ? (actor.userAgent ?? null) : null,
    actor.requestId ?? null,
    input.data === undefined ? null : JSON.stringify(input.data),
  ] as const;
}

/**
 * The audit row's insert as the two parts of one statement: the `horizon_lock` CTE (the shared lock, taken
 * before the row and its seq are produced) and the INSERT that reads from it. recordAuditEvent runs them
 * alone; a caller writing other rows in the same statement (transitionPayment) puts its own CTEs between.
 */
export function auditInsertSql(input: AuditEventInput): { horizonLock: Prisma.Sql; insert: Prisma.Sql } {
  const [id, merchantId, actorType, actorId, action, targetType, targetId, ip, userAgent, requestId, data] = columns(input);
  return {
    horizonLock: Prisma.sql`horizon_lock as (select pg_advisory_xact_lock_shared(${AUDIT_INSERT_LOCK}::bigint))`,
    insert: Prisma.sql`
      insert into audit_events (id, merchant_id, actor_type, actor_id, action, target_type, target_id, ip, user_agent, request_id, data)
      select ${id}, ${merchantId}, ${actorType}, ${actorId}, ${action}, ${targetType}, ${targetId}, ${ip}, ${userAgent}, ${requestId}, ${data}::jsonb
      from horizon_lock`,
  };
}

export async function recordAuditEvent(input: AuditEventInput, client: Tx | Db = db()): Promise<void> {
  const { horizonLock, insert } = auditInsertSql(input);
  // One statement, so outside a transaction the lock and the insert still share the implicit one.
  await client.$executeRaw`with ${horizonLock} ${insert}`;
}

/** The same, for code that works on a raw pg client (ledger-style SQL). */
export async function recordAuditEventSql(client: pg.Pool | pg.PoolClient, input: AuditEventInput): Promise<void> {
  await client.query(
    `with horizon_lock as (select pg_advisory_xact_lock_shared($12::bigint))
     insert into audit_events (id, merchant_id, actor_type, actor_id, action, target_type, target_id, ip, user_agent, request_id, data)
     select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb from horizon_lock`,
    [...columns(input), AUDIT_INSERT_LOCK.toString()],
  );
}

/** Who reads personal data, and how: the part every reader of it (customer, customer list, email outbox) takes. */
export type PersonalDataReader = {
  merchantId: string;
  actor: Actor;
  /** Viewers get the masked view; the read is recorded all the same. */
  masked?: boolean;
  /** Where it was read ("api", "dashboard", …) for the audit row; "api" when not given. */
  via?: string;
};

/**
 * A person read personal data (decrypted to show it, or to mask it for a viewer): one `personal_data.read`
 * row with where it was read (`via`), whether it was shown masked, and what was opened (`data`: ids only).
 */
export async function recordPersonalDataRead(input: {
  merchantId: string;
  actor: Actor;
  target: { type: string; id: string };
  via: string;
  masked: boolean;
  data?: Record<string, Prisma.InputJsonValue | null>;
}): Promise<void> {
  await recordAuditEvent({
    merchantId: input.merchantId,
    actor: input.actor,
    action: "personal_data.read",
    target: input.target,
    data: { via: input.via, masked: input.masked, ...input.data },
  });
}
