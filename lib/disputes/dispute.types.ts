// The dispute object of the API and the evidence request.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";
import type { Prisma } from "@/lib/generated/prisma/client";
import { amountToJson } from "@/lib/money";
import { EVIDENCE_FILE_FIELDS, type TEvidenceFileDto, ZFileId } from "./evidence-file.types";

export type DisputeRow = Prisma.DisputeGetPayload<object>;

/** The text evidence fields Stripe takes (file fields: evidence-file.types.ts). */
export const EVIDENCE_TEXT_FIELDS = [
  "access_activity_log", "billing_address", "cancellation_policy_disclosure", "cancellation_rebuttal", "customer_email_address",
  "customer_name", "customer_purchase_ip", "duplicate_charge_explanation", "duplicate_charge_id", "product_description",
  "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "shipping_address", "shipping_carrier", "shipping_date",
  "shipping_tracking_number", "uncategorized_text",
] as const;

export const ZSubmitEvidenceRequest = z.strictObject({
  /** Text fields, and file fields (receipt, …) naming files uploaded to this dispute (file_…), as in Stripe. */
  evidence: z.strictObject({
    ...Object.fromEntries(EVIDENCE_TEXT_FIELDS.map((field) => [field, z.string().max(20_000).optional()])) as Record<(typeof EVIDENCE_TEXT_FIELDS)[number], z.ZodOptional<z.ZodString>>,
    ...Object.fromEntries(EVIDENCE_FILE_FIELDS.map((field) => [field, ZFileId.optional()])) as Record<(typeof EVIDENCE_FILE_FIELDS)[number], z.ZodOptional<z.ZodString>>,
  }),
  /** false saves a draft; true (default) submits it to the card network. */
  submit: z.boolean().default(true),
});
export type TSubmitEvidenceRequest = z.output<typeof ZSubmitEvidenceRequest>;

export const ZListDisputesQuery = ZListQuery.extend({ payment: z.string().min(1).max(100).optional() });
export type TListDisputesQuery = z.output<typeof ZListDisputesQuery>;

/** `files` (the dispute's evidence files) where the caller loaded them; lists leave them out. */
export function toDisputeDto(dispute: DisputeRow, files?: TEvidenceFileDto[]) {
  return {
    id: dispute.id,
    object: "dispute" as const,
    payment: dispute.paymentId,
    amount: amountToJson(dispute.amount),
    currency: dispute.currency,
    reason: dispute.reason,
    status: dispute.status,
    fee_amount: amountToJson(dispute.feeAmount),
    evidence_due_by: dispute.evidenceDueBy?.toISOString() ?? null,
    evidence: dispute.evidence ?? null,
    ...(files ? { evidence_files: files } : {}),
    psp_reference: dispute.pspDisputeId,
    version: dispute.version,
    created: dispute.createdAt.toISOString(),
    closed_at: dispute.closedAt?.toISOString() ?? null,
  };
}
export type TDisputeDto = ReturnType<typeof toDisputeDto>;
