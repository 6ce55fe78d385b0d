// GET /api/v1/disputes/:id — one dispute
import { withApi } from "@/lib/api/with-api";
import { getDispute } from "@/lib/disputes/manage-disputes";

export const GET = withApi({ auth: "secret-key", scope: { resource: "disputes", access: "read" } }, async ({ merchantId, params }) => getDispute(merchantId, params.id!));
