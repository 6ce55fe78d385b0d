// Puts a payment or transfer on hold for a human: one review per subject (a repeat returns the first).
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db, type Tx } from "@/lib/db/client";
import type { RiskReason } from "@/lib/fraud/assess-payment-risk.types";
import { newRiskId } from "@/lib/fraud/risk-ids";
import type { Prisma } from "@/lib/generated/prisma/client";
import { REVIEW_SELECT, toReviewDto } from "./review-rows";
import type { ReviewSubjectType, TReviewDto } from "./review.types";

export const REVIEW_REASONS_MAX = 50;

export type OpenReviewInput = {
  merchantId: string;
  subjectType: ReviewSubjectType;
  subjectId: string;
  reasons: RiskReason[];
  amountMinor?: bigint | null;
  currency?: string | null;
  actor?: Actor;
};

export async function openReview(input: OpenReviewInput, client?: Tx): Promise<TReviewDto & { opened: boolean }> {
  const run = async (tx: Tx) => {
    const id = newRiskId("rev");
    const inserted = await tx.review.createMany({
      data: [
        {
          id,
          merchantId: input.merchantId,
          subjectType: input.subjectType,
          subjectId: input.subjectId,
          reasons: input.reasons.slice(0, REVIEW_REASONS_MAX) as unknown as Prisma.InputJsonValue,
          amountMinor: input.amountMinor ?? null,
          currency: input.currency ?? null,
        },
      ],
      skipDuplicates: true,
    });
    const row = await tx.review.findUniqueOrThrow({
      where: { merchantId_subjectType_subjectId: { merchantId: input.merchantId, subjectType: input.subjectType, subjectId: input.subjectId } },
      select: REVIEW_SELECT,
    });
    if (inserted.count === 1) {
      await recordAuditEvent(
        {
          merchantId: input.merchantId,
          actor: input.actor ?? { type: "system", id: "risk" },
          action: "review.opened",
          target: { type: "review", id: row.id },
          data: { subjectType: input.subjectType, subjectId: input.subjectId, rules: input.reasons.map((r) => r.rule) },
        },
        tx,
      );
    }
    return { ...toReviewDto(row), opened: inserted.count === 1 };
  };
  return client ? run(client) : db().$transaction(run);
}
