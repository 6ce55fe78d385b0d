// Request schemas of the refunds API and the refund object it returns.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";
import { amountToJson, ZPositiveAmountMinor } from "@/lib/money";
import type { Prisma } from "@/lib/generated/prisma/client";

export const REFUND_REASONS = ["duplicate", "fraudulent", "requested_by_customer"] as const;

export const ZCreateRefundRequest = z.strictObject({
  payment: z.string().min(1).max(100),
  /** Minor units; default: everything captured and not yet refunded. */
  amount: ZPositiveAmountMinor.optional(),
  reason: z.enum(REFUND_REASONS).optional(),
});
export type TCreateRefundRequest = z.output<typeof ZCreateRefundRequest>;

export const ZListRefundsQuery = ZListQuery.extend({ payment: z.string().min(1).max(100).optional() });
export type TListRefundsQuery = z.output<typeof ZListRefundsQuery>;

export type RefundRow = Prisma.RefundGetPayload<object>;

export type TRefundDto = {
  id: string;
  object: "refund";
  payment: string;
  amount: number | string;
  currency: string;
  status: string;
  reason: string | null;
  failure_reason: string | null;
  psp_reference: string | null;
  requested_by: string | null;
  approved_by: string | null;
  version: number;
  created: string;
  succeeded_at: string | null;
  failed_at: string | null;
  settled_at: string | null;
};

export function toRefundDto(refund: RefundRow): TRefundDto {
  return {
    id: refund.id,
    object: "refund",
    payment: refund.paymentId,
    amount: amountToJson(refund.amount),
    currency: refund.currency,
    status: refund.status,
    reason: refund.reason,
    failure_reason: refund.failureReason,
    psp_reference: refund.pspRefundId,
    requested_by: refund.requestedBy,
    approved_by: refund.approvedBy,
    version: refund.version,
    created: refund.createdAt.toISOString(),
    succeeded_at: refund.succeededAt?.toISOString() ?? null,
    failed_at: refund.failedAt?.toISOString() ?? null,
    settled_at: refund.settledAt?.toISOString() ?? null,
  };
}
