// Row selection and DTO mapping shared by the review use cases.
import { amountToJson } from "@/lib/money";
import { ZReviewDto, type TReviewDto } from "./review.types";

export const REVIEW_SELECT = {
  id: true, subjectType: true, subjectId: true, reasons: true, amountMinor: true, currency: true, status: true,
  decidedBy: true, reason: true, handlerStatus: true, createdAt: true, decidedAt: true,
} as const;

export type ReviewRow = {
  id: string; subjectType: "payment" | "transfer"; subjectId: string; reasons: unknown; amountMinor: bigint | null; currency: string | null;
  status: "pending" | "approved" | "rejected"; decidedBy: string | null; reason: string | null; handlerStatus: string; createdAt: Date; decidedAt: Date | null;
};

export function toReviewDto(row: ReviewRow): TReviewDto {
  return ZReviewDto.parse({
    id: row.id,
    object: "review",
    subject_type: row.subjectType,
    subject_id: row.subjectId,
    reasons: Array.isArray(row.reasons) ? row.reasons : [],
    amount: row.amountMinor === null ? null : amountToJson(row.amountMinor),
    currency: row.currency,
    status: row.status,
    decided_by: row.decidedBy,
    reason: row.reason,
    handler_status: row.handlerStatus,
    created: row.createdAt.toISOString(),
    decided: row.decidedAt?.toISOString() ?? null,
  });
}
