// GET /api/v1/reviews — payments and transfers held for review (filter by status, subject_type).
import { withApi } from "@/lib/api/with-api";
import { listReviews } from "@/lib/compliance/aml/reviews/list-reviews";
import { ZListReviewsQuery } from "@/lib/compliance/aml/reviews/review.types";

export const GET = withApi({ auth: "secret-key", scope: { resource: "payments", access: "read" }, query: ZListReviewsQuery }, async ({ merchantId, query }) =>
  listReviews(merchantId, query),
);
