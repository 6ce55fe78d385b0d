// The admin refund screen: who may use it (admins; every refused attempt is audited), the payment being
// refunded with what is still refundable, the refunds list with who asked / who approved / PSP outcome, and
// the actions, which go through the payments engineer's createRefund / approveRefund / rejectRefund.
// Refunds above REFUND_APPROVAL_THRESHOLD_MINOR wait in pending_approval for a second admin.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { can } from "@/lib/auth/roles";
import type { DashboardUser } from "@/lib/auth/session";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { MoneyError, parseMoney } from "@/lib/money";
import type { TPaymentMethodDetails } from "@/lib/payments/payment.types";
import { approveRefund, createRefund, rejectRefund } from "@/lib/refunds/create-refund";
import { REFUND_REASONS, type TRefundDto } from "@/lib/refunds/refund.types";
import { userNames } from "./get-payment-detail";

export const REFUNDS_LIST_MAX = 50;

/** Admins only. A refused attempt leaves an audit row (refund.access_denied) before the 403. */
export async function assertCanRefund(user: DashboardUser, actor: Actor, attempted: string): Promise<void> {
  if (can(user.role, "refund")) return;
  await recordAuditEvent({ merchantId: user.merchantId, actor, action: "refund.access_denied", target: { type: "refund_screen", id: user.merchantId }, data: { attempted, role: user.role } });
  throw new AppError("permission_denied", `Your role (${user.role}) cannot refund payments; ask an admin.`);
}

export function refundApprovalThresholdMinor(): bigint {
  return getEnv().REFUND_APPROVAL_THRESHOLD_MINOR;
}

export type RefundCandidate = {
  id: string;
  status: string;
  currency: string;
  amountMinor: string;
  capturedMinor: string;
  refundedMinor: string;
  /** Captured minus everything reserved by refunds that have not failed (pending approval included). */
  refundableMinor: string;
  method: { type: string; brand: string | null; last4: string | null };
  created: string;
  refundable: boolean;
  blockedReason: string | null;
};

export async function findRefundCandidate(merchantId: string, paymentId: string): Promise<RefundCandidate | null> {
  if (!/^pay_[0-9a-z]{26}$/.test(paymentId)) return null;
  const payment = await db().payment.findFirst({
    where: { id: paymentId, merchantId },
    select: { id: true, status: true, currency: true, amount: true, amountCaptured: true, amountRefunded: true, amountRefundReserved: true, paymentMethodType: true, paymentMethodDetails: true, createdAt: true },
  });
  if (!payment) return null;
  const statusOk = ["captured", "settled"].includes(payment.status);
  const remaining = payment.amountCaptured - payment.amountRefundReserved;
  const details = payment.paymentMethodDetails as TPaymentMethodDetails | null;
  return {
    id: payment.id,
    status: payment.status,
    currency: payment.currency,
    amountMinor: payment.amount.toString(),
    capturedMinor: payment.amountCaptured.toString(),
    refundedMinor: payment.amountRefunded.toString(),
    refundableMinor: (statusOk && remaining > 0n ? remaining : 0n).toString(),
    method: { type: payment.paymentMethodType, brand: details?.brand ?? null, last4: details?.last4 ?? null },
    created: payment.createdAt.toISOString(),
    refundable: statusOk && remaining > 0n,
    blockedReason: !statusOk ? `This payment is ${payment.status.replace(/_/g, " ")}; only captured or settled payments can be refunded.` : remaining <= 0n ? "Everything captured has already been refunded or is waiting for approval." : null,
  };
}

export type RefundListRow = {
  id: string;
  paymentId: string;
  amountMinor: string;
  currency: string;
  status: string;
  reason: string | null;
  requestedBy: string | null;
  requestedByName: string | null;
  approvedBy: string | null;
  approvedByName: string | null;
  pspRefundId: string | null;
  failureReason: string | null;
  created: string;
};

export async function listRefundsForScreen(merchantId: string, options: { paymentId?: string } = {}): Promise<RefundListRow[]> {
  const [pending, recent] = await Promise.all([
    db().refund.findMany({ where: { merchantId, status: "pending_approval", ...(options.paymentId ? { paymentId: options.paymentId } : {}) }, orderBy: { id: "asc" }, take: REFUNDS_LIST_MAX }),
    db().refund.findMany({ where: { merchantId, status: { not: "pending_approval" }, ...(options.paymentId ? { paymentId: options.paymentId } : {}) }, orderBy: { id: "desc" }, take: REFUNDS_LIST_MAX }),
  ]);
  const rows = [...pending, ...recent];
  const names = await userNames(merchantId, rows.flatMap((r) => [r.requestedBy, r.approvedBy]));
  return rows.map((r) => ({
    id: r.id, paymentId: r.paymentId, amountMinor: r.amount.toString(), currency: r.currency, status: r.status, reason: r.reason,
    requestedBy: r.requestedBy, requestedByName: r.requestedBy ? (names.get(r.requestedBy) ?? r.requestedBy) : null,
    approvedBy: r.approvedBy, approvedByName: r.approvedBy ? (names.get(r.approvedBy) ?? r.approvedBy) : null,
    pspRefundId: r.pspRefundId, failureReason: r.failureReason, created: r.createdAt.toISOString(),
  }));
}

export const ZDashboardRefundRequest = z.strictObject({
  payment: z.string().regex(/^pay_[0-9a-z]{26}$/, "must be a payment id (pay_…)"),
  /** Decimal in the payment's currency ("12.50"); omitted: everything still refundable. */
  amount: z.string().trim().regex(/^\d{1,16}([.,]\d{1,3})?$/, "must be an amount like 12.50").optional(),
  reason: z.enum(REFUND_REASONS),
  /** One per confirmation: a double submit makes one refund. */
  idempotency_key: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/),
});
export type TDashboardRefundRequest = z.output<typeof ZDashboardRefundRequest>;

export type DashboardRefundResult = { refund: TRefundDto; needsApproval: boolean };

export async function requestDashboardRefund(input: { user: DashboardUser; actor: Actor; request: TDashboardRefundRequest }): Promise<DashboardRefundResult> {
  const { user, actor, request } = input;
  await assertCanRefund(user, actor, "refund.create");
  const payment = await db().payment.findFirst({ where: { id: request.payment, merchantId: user.merchantId }, select: { currency: true, amountCaptured: true, amountRefundReserved: true } });
  if (!payment) throw new AppError("resource_missing", `No such payment: '${request.payment}'`, { param: "payment" });
  let amountMinor: bigint;
  try {
    amountMinor = request.amount === undefined ? payment.amountCaptured - payment.amountRefundReserved : parseMoney(request.amount.replace(",", "."), payment.currency);
  } catch (error) {
    if (error instanceof MoneyError) throw new AppError("parameter_invalid", `The amount has more decimals than ${payment.currency} allows.`, { param: "amount" });
    throw error;
  }
  if (amountMinor <= 0n) throw new AppError("parameter_invalid", "The refund amount must be greater than zero.", { param: "amount" });
  const needsApproval = amountMinor > refundApprovalThresholdMinor();
  const refund = await createRefund({
    merchantId: user.merchantId,
    paymentId: request.payment,
    amount: amountMinor,
    reason: request.reason,
    idempotencyKey: `dashboard:${request.idempotency_key}`,
    actor,
    requireApproval: needsApproval,
  });
  return { refund, needsApproval: refund.status === "pending_approval" };
}

export async function approveDashboardRefund(input: { user: DashboardUser; actor: Actor; refundId: string }): Promise<TRefundDto> {
  await assertCanRefund(input.user, input.actor, "refund.approve");
  return approveRefund({ merchantId: input.user.merchantId, refundId: input.refundId, actor: input.actor });
}

export async function rejectDashboardRefund(input: { user: DashboardUser; actor: Actor; refundId: string }): Promise<TRefundDto> {
  await assertCanRefund(input.user, input.actor, "refund.reject");
  return rejectRefund({ merchantId: input.user.merchantId, refundId: input.refundId, actor: input.actor, reason: "rejected_by_approver" });
}
