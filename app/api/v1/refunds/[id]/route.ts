// GET /api/v1/refunds/:id — one refund
import { withApi } from "@/lib/api/with-api";
import { getRefund } from "@/lib/refunds/get-refund";

export const GET = withApi({ auth: "secret-key", scope: { resource: "refunds", access: "read" } }, async ({ merchantId, params }) => getRefund(merchantId, params.id!));
