// GET /api/v1/reviews/:id — one review and its decision.
import { withApi } from "@/lib/api/with-api";
import { getReview } from "@/lib/compliance/aml/reviews/list-reviews";

export const GET = withApi({ auth: "secret-key", scope: { resource: "payments", access: "read" } }, async ({ merchantId, params }) => getReview(merchantId, params.id!));
