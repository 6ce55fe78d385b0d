// GET /api/v1/disputes — list disputes (optionally of one payment)
import { withApi } from "@/lib/api/with-api";
import { ZListDisputesQuery } from "@/lib/disputes/dispute.types";
import { listDisputes } from "@/lib/disputes/manage-disputes";

export const GET = withApi({ auth: "secret-key", scope: { resource: "disputes", access: "read" }, query: ZListDisputesQuery }, async ({ merchantId, query }) =>
  listDisputes(merchantId, query),
);
