// Moves a payment from one status to another: one conditional UPDATE guarded by the current status, then
// the state-history row, the audit row and the merchant event in one statement of the same transaction.
// An illegal or stale transition changes nothing and raises invalid_state_transition; repeating a
// finished one returns the payment.
import { AppError } from "@/lib/api/errors";
import { auditInsertSql, type Actor } from "@/lib/compliance/record-audit-event";
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { merchantNotice } from "./notify-merchant";
import { toPaymentDto } from "./payment-dto";
import { canTransition, type PaymentStatus, STATUS_TIMESTAMP, type TransitionCause } from "./state-machine";

export type PaymentRow = Prisma.PaymentGetPayload<object>;

export type TransitionInput = {
  merchantId: string;
  paymentId: string;
  /** The statuses this change may start from; the UPDATE is guarded by them. */
  from: readonly PaymentStatus[];
  to: PaymentStatus;
  /** Required by the transitions that only one cause may take (state-machine CAUSED_TRANSITIONS). A caused
   * transition returns to a status the payment had, so it keeps that status's timestamp, and its audit
   * action and merchant event are named after the cause (payment.refund_failed). */
  cause?: TransitionCause;
  actor: Actor;
  reason?: string;
  /** Other columns to set in the same UPDATE (amounts, PSP ids, failure details). */
  patch?: Omit<Prisma.PaymentUpdateManyMutationInput, "status" | "version">;
  data?: Prisma.InputJsonValue;
};

export type TransitionResult = { payment: PaymentRow; changed: boolean; from: PaymentStatus | null };

export async function transitionPayment(tx: Tx, input: TransitionInput): Promise<TransitionResult> {
  const legalFrom = input.from.filter((from) => canTransition(from, input.to, input.cause));
  if (legalFrom.length === 0) {
    throw new AppError("invalid_state_transition", `A payment cannot move to ${input.to} from ${input.from.join(" or ")}.`);
  }
  const timestampColumn = input.cause ? null : STATUS_TIMESTAMP[input.to];
  const eventType = `payment.${input.cause ?? input.to}`;
  const timestampField = timestampColumn?.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const now = new Date();
  // The status we leave, for the history row: with one legal predecessor the guarded UPDATE itself names
  // it; with several, lock the row first and read it (the UPDATE below then cannot see another status).
  let fromStatus: PaymentStatus | null = legalFrom.length === 1 ? legalFrom[0]! : null;
  if (fromStatus === null) {
    const current = await tx.$queryRaw<{ status: PaymentStatus }[]>`
      select status from payments where id = ${input.paymentId} and merchant_id = ${input.merchantId} for update`;
    if (current.length === 0) throw new AppError("resource_missing", `No such payment: '${input.paymentId}'`, { param: "payment" });
    fromStatus = current[0]!.status;
  }

  // One statement: the guarded UPDATE returns the row it changed (no re-read).
  const [changed] = await tx.payment.updateManyAndReturn({
    where: { id: input.paymentId, merchantId: input.merchantId, status: { in: [...legalFrom] } },
    data: {
      ...input.patch,
      status: input.to,
      version: { increment: 1 },
      ...(timestampField ? { [timestampField]: now } : {}),
    },
  });
  if (!changed) {
    const payment = await tx.payment.findFirst({ where: { id: input.paymentId, merchantId: input.merchantId } });
    if (!payment) throw new AppError("resource_missing", `No such payment: '${input.paymentId}'`, { param: "payment" });
    if (payment.status === input.to) return { payment, changed: false, from: payment.status };
    throw new AppError(
      "invalid_state_transition",
      `Payment ${input.paymentId} is ${payment.status}; it cannot move to ${input.to}.`,
    );
  }
  const payment: PaymentRow = changed;
  // The change's three records in one statement: the state-history row, the audit row (after its shared
  // horizon lock) and the merchant event; then the event's deliveries, if any endpoint subscribes.
  const audit = auditInsertSql({
    merchantId: payment.merchantId,
    actor: input.actor,
    action: eventType,
    target: { type: "payment", id: payment.id },
    data: { from: fromStatus, to: input.to, version: payment.version, ...(input.reason ? { reason: input.reason } : {}) },
  });
  const outbox = merchantNotice({
    merchantId: payment.merchantId,
    type: eventType,
    objectType: "payment",
    objectId: payment.id,
    objectVersion: payment.version,
    payload: toPaymentDto(payment) as unknown as Record<string, unknown>,
  });
  await tx.$executeRaw`
    with ${audit.horizonLock},
    history as (
      insert into payment_events (payment_id, merchant_id, from_status, to_status, version, reason, actor_type, actor_id, data)
      values (${payment.id}, ${payment.merchantId}, cast(${fromStatus}::text as "PaymentStatus"), cast(${input.to}::text as "PaymentStatus"),
              ${payment.version}, ${input.reason ?? null}, ${input.actor.type}, ${input.actor.id},
              ${input.data === undefined ? null : JSON.stringify(input.data)}::jsonb)
    ),
    merchant_event as (${outbox.insert})
    ${audit.insert}`;
  await outbox.deliver(tx);
  return { payment, changed: true, from: fromStatus };
}
