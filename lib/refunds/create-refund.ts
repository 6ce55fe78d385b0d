// Refunds all or part of a captured payment. The amount is reserved on the payment with one guarded
// UPDATE (never more in total than captured, whatever runs concurrently) and the merchant's balance is
// debited in the same transaction; then the PSP is called under a key derived from the refund id.
// A refund above the admin screen's threshold waits in pending_approval for a second admin (approveRefund).
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { postRefundHold } from "@/lib/payments/postings";
import { callPsp } from "@/lib/psp/psp-gateway";
import { applyPspRefund, failRefund, succeedRefund } from "./apply-psp-refund";
import { toRefundDto, type RefundRow, type TRefundDto } from "./refund.types";

export type CreateRefundInput = {
  merchantId: string;
  paymentId: string;
  /** Default: everything captured and not yet reserved by other refunds. */
  amount?: bigint;
  reason?: "duplicate" | "fraudulent" | "requested_by_customer";
  idempotencyKey?: string | null;
  actor: Actor;
  /** The admin screen sets this above its threshold: the refund waits for approveRefund by another admin. */
  requireApproval?: boolean;
};

const REFUNDABLE = ["captured", "settled"] as const;
/** Refunds of one payment queue on its row lock; give them time rather than failing under a burst. */
export const TX_OPTIONS = { timeout: 20_000, maxWait: 10_000 };

export async function createRefund(input: CreateRefundInput): Promise<TRefundDto> {
  if (input.idempotencyKey) {
    const existing = await db().refund.findUnique({ where: { merchantId_idempotencyKey: { merchantId: input.merchantId, idempotencyKey: input.idempotencyKey } } });
    if (existing) return toRefundDto(existing.status === "pending" && !existing.pspRefundId ? await submitRefund(existing, input.actor) : existing);
  }
  const refund = await db().$transaction(async (tx) => {
    const [payment] = await tx.$queryRaw<{ id: string; status: string; amount_captured: bigint; amount_refund_reserved: bigint; currency: string; payment_method_type: string; payment_method: string }[]>`
      select id, status::text as status, amount_captured, amount_refund_reserved, currency, payment_method_type, payment_method
      from payments where id = ${input.paymentId} and merchant_id = ${input.merchantId} for update`;
    if (!payment) throw new AppError("resource_missing", `No such payment: '${input.paymentId}'`, { param: "payment" });
    if (!(REFUNDABLE as readonly string[]).includes(payment.status)) {
      throw new AppError("invalid_state_transition", `Payment ${payment.id} is ${payment.status}; only a captured or settled payment can be refunded.`, { param: "payment" });
    }
    const remaining = BigInt(payment.amount_captured) - BigInt(payment.amount_refund_reserved);
    const amount = input.amount ?? remaining;
    if (amount <= 0n) throw new AppError("amount_too_large", `Payment ${payment.id} has nothing left to refund.`, { param: "amount" });
    // The guard itself: reserve only if the total stays within what was captured.
    const reserved = await tx.$executeRaw`
      update payments set amount_refund_reserved = amount_refund_reserved + ${amount}, updated_at = now()
      where id = ${payment.id} and status::text in ('captured', 'settled') and amount_refund_reserved + ${amount} <= amount_captured`;
    if (reserved !== 1) {
      throw new AppError("amount_too_large", `Refund amount (${amount}) is greater than the unrefunded amount of ${payment.id} (${remaining}).`, { param: "amount" });
    }
    const row = await tx.refund.create({
      data: {
        id: newId("refund"), merchantId: input.merchantId, paymentId: payment.id, amount, currency: payment.currency,
        status: input.requireApproval ? "pending_approval" : "pending", reason: input.reason ?? null,
        idempotencyKey: input.idempotencyKey ?? null, requestedBy: input.actor.id,
      },
    });
    await postRefundHold(tx, { id: payment.id, merchantId: input.merchantId, currency: payment.currency }, row.id, amount,
      payment.payment_method_type === "settle_wallet" ? payment.payment_method : undefined);
    await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: `refund.${row.status}`, target: { type: "refund", id: row.id }, data: { payment: payment.id, amount: amount.toString() } }, tx);
    return row;
  }, TX_OPTIONS);
  return toRefundDto(refund.status === "pending" ? await submitRefund(refund, input.actor) : refund);
}

/** A second admin approves a refund held for approval: pending_approval → pending, then the PSP call. */
export async function approveRefund(input: { merchantId: string; refundId: string; actor: Actor }): Promise<TRefundDto> {
  const refund = await db().refund.findFirst({ where: { id: input.refundId, merchantId: input.merchantId } });
  if (!refund) throw new AppError("resource_missing", `No such refund: '${input.refundId}'`, { param: "id" });
  if (refund.status !== "pending_approval") {
    if (refund.approvedBy) return toRefundDto(refund);
    throw new AppError("invalid_state_transition", `Refund ${refund.id} is ${refund.status}; only a refund pending approval can be approved.`);
  }
  if (refund.requestedBy === input.actor.id) throw new AppError("permission_denied", "A refund must be approved by someone other than the person who requested it.");
  const approved = await db().$transaction(async (tx) => {
    const { count } = await tx.refund.updateMany({
      where: { id: refund.id, status: "pending_approval" },
      data: { status: "pending", approvedBy: input.actor.id, version: { increment: 1 } },
    });
    if (count !== 1) throw new AppError("invalid_state_transition", `Refund ${refund.id} was decided by someone else meanwhile.`);
    await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: "refund.approved", target: { type: "refund", id: refund.id } }, tx);
    return tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
  });
  return toRefundDto(await submitRefund(approved, input.actor));
}

/** The approver says no: pending_approval → canceled, reservation released, merchant balance restored. */
export async function rejectRefund(input: { merchantId: string; refundId: string; actor: Actor; reason?: string }): Promise<TRefundDto> {
  const refund = await db().refund.findFirst({ where: { id: input.refundId, merchantId: input.merchantId } });
  if (!refund) throw new AppError("resource_missing", `No such refund: '${input.refundId}'`, { param: "id" });
  if (refund.status !== "pending_approval") throw new AppError("invalid_state_transition", `Refund ${refund.id} is ${refund.status}; it cannot be rejected.`);
  const rejected = await db().$transaction(async (tx) => {
    await tx.$queryRaw`select id from payments where id = ${refund.paymentId} for update`;
    const row = await failRefund(tx, refund, input.reason ?? "rejected", undefined, "canceled");
    await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: "refund.rejected", target: { type: "refund", id: refund.id } }, tx);
    return row;
  });
  return toRefundDto(rejected);
}

/** Sends a pending refund to the PSP (or, for wallet payments, completes it in the ledger). Safe to repeat. */
export async function submitRefund(refund: RefundRow, actor: Actor): Promise<RefundRow> {
  const payment = await db().payment.findUniqueOrThrow({ where: { id: refund.paymentId } });
  if (payment.paymentMethodType === "settle_wallet") {
    // The hold already moved the money back to the wallet; nothing to wait for.
    return db().$transaction(async (tx) => {
      await tx.$queryRaw`select id from payments where id = ${payment.id} for update`;
      const done = await succeedRefund(tx, refund, actor);
      await tx.refund.update({ where: { id: refund.id }, data: { settledAt: new Date() } });
      return { ...done, settledAt: new Date() };
    });
  }
  if (!payment.pspPaymentIntentId) throw new AppError("invalid_state_transition", `Payment ${payment.id} has no PSP payment to refund.`);
  const params: Stripe.RefundCreateParams = {
    payment_intent: payment.pspPaymentIntentId,
    amount: Number(refund.amount),
    metadata: { settle_refund_id: refund.id, settle_payment_id: payment.id },
    ...(refund.reason ? { reason: refund.reason as Stripe.RefundCreateParams.Reason } : {}),
  };
  const outcome = await callPsp("refunds.create", (stripe) => stripe.refunds.create(params, { idempotencyKey: `v1:refund:${refund.id}:create` }));
  if (outcome.kind === "ok") return applyPspRefund(refund.id, outcome.value, actor);
  if (outcome.kind === "ambiguous") return refund; // pending: the recovery job reads the PSP's truth
  // Refused by the PSP (disputed charge, already refunded there): nothing happened, give the money back.
  const message = outcome.error.message.slice(0, 500);
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`select id from payments where id = ${payment.id} for update`;
    const current = await tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
    return failRefund(tx, current, `${outcome.error.code ?? "psp_refused"}: ${message}`);
  });
}
