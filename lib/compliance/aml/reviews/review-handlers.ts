// Callbacks the subject domains register so a decision takes effect: payments proceeds with or cancels a
// held payment; transfers posts or drops a held transfer. Called after the decision has committed.
// Registration is a module side effect: the domain's module must be imported where reviews are decided.
import type { Actor } from "@/lib/compliance/record-audit-event";
import type { ReviewDecision, ReviewSubjectType } from "./review.types";

export type ReviewDecisionEvent = {
  merchantId: string;
  reviewId: string;
  subjectType: ReviewSubjectType;
  subjectId: string;
  decision: ReviewDecision;
  reason: string;
  actor: Actor;
};
export type ReviewHandler = (event: ReviewDecisionEvent) => Promise<void>;

const globalHandlers = globalThis as unknown as { __settleReviewHandlers?: Map<ReviewSubjectType, ReviewHandler> };
const handlers = (globalHandlers.__settleReviewHandlers ??= new Map());

/** One handler per subject type; registering again replaces it (hot reload, tests). */
export function registerReviewHandler(subjectType: ReviewSubjectType, handler: ReviewHandler): void {
  handlers.set(subjectType, handler);
}

export function unregisterReviewHandler(subjectType: ReviewSubjectType): void {
  handlers.delete(subjectType);
}

export function getReviewHandler(subjectType: ReviewSubjectType): ReviewHandler | undefined {
  return handlers.get(subjectType);
}
