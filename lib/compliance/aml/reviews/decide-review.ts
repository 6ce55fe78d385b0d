// Approves or rejects a pending review: one guarded write (pending → approved|rejected), audited in the
// same transaction; then the subject domain's handler runs and its outcome is stored on the review.
// A second decision on the same review fails with invalid_state_transition.
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { getReviewHandler } from "./review-handlers";
import { REVIEW_SELECT, toReviewDto } from "./review-rows";
import type { ReviewDecision, TReviewDto } from "./review.types";

export type DecideReviewInput = { merchantId: string; reviewId: string; decision: ReviewDecision; reason: string; actor: Actor };

export async function decideReview(input: DecideReviewInput): Promise<TReviewDto> {
  const status = input.decision === "approve" ? "approved" : "rejected";
  const reason = input.reason.trim();
  if (reason.length < 3) throw new AppError("parameter_invalid", "Give a reason for the decision (at least 3 characters).", { param: "reason" });

  const decided = await db().$transaction(async (tx) => {
    const current = await tx.review.findFirst({ where: { id: input.reviewId, merchantId: input.merchantId }, select: { subjectType: true } });
    if (!current) throw new AppError("resource_missing", `No such review: '${input.reviewId}'`, { param: "id" });
    const handlerStatus = getReviewHandler(current.subjectType) ? "pending" : "none";
    const now = new Date();
    const { count } = await tx.review.updateMany({
      where: { id: input.reviewId, merchantId: input.merchantId, status: "pending" },
      data: { status, decidedBy: input.actor.id, reason, decidedAt: now, updatedAt: now, handlerStatus },
    });
    if (count !== 1) {
      const existing = await tx.review.findFirstOrThrow({ where: { id: input.reviewId, merchantId: input.merchantId }, select: { status: true } });
      throw new AppError("invalid_state_transition", `This review was already ${existing.status}; a decision cannot be changed.`);
    }
    const row = await tx.review.findUniqueOrThrow({ where: { id: input.reviewId }, select: REVIEW_SELECT });
    await recordAuditEvent(
      {
        merchantId: input.merchantId,
        actor: input.actor,
        action: `review.${status}`,
        target: { type: "review", id: row.id },
        data: { subjectType: row.subjectType, subjectId: row.subjectId, reason },
      },
      tx,
    );
    return row;
  });

  const handler = getReviewHandler(decided.subjectType);
  if (!handler) return toReviewDto(decided);
  let handlerStatus = "completed";
  let handlerError: string | null = null;
  try {
    await handler({
      merchantId: input.merchantId, reviewId: decided.id, subjectType: decided.subjectType, subjectId: decided.subjectId,
      decision: input.decision, reason, actor: input.actor,
    });
  } catch (error) {
    // The decision stands; the failed hand-over is visible on the review (handler_status) for a retry.
    handlerStatus = "failed";
    handlerError = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    logger.error({ err: error, reviewId: decided.id, subjectId: decided.subjectId }, "review handler failed");
  }
  const row = await db().review.update({ where: { id: decided.id }, data: { handlerStatus, handlerError, updatedAt: new Date() }, select: REVIEW_SELECT });
  return toReviewDto(row);
}
