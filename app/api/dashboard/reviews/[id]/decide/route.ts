// POST /api/dashboard/reviews/:id/decide — an admin approves or rejects a held payment or transfer.
// Review decisions call back into the subject's domain: load the handlers that register themselves.
import "@/lib/payments/review-handler";
import { withApi } from "@/lib/api/with-api";
import { decideReview } from "@/lib/compliance/aml/reviews/decide-review";
import { ZDecideReviewRequest } from "@/lib/compliance/aml/reviews/review.types";

export const POST = withApi({ auth: "session", capability: "reviewCompliance", body: ZDecideReviewRequest }, async ({ merchantId, actor, params, body }) =>
  decideReview({ merchantId, reviewId: params.id!, decision: body.decision, reason: body.reason, actor }),
);
