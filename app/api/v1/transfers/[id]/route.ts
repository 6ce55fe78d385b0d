import { withApi } from "@/lib/api/with-api";
import { getTransferDto } from "@/lib/ledger";

// GET /api/v1/transfers/:id
export const GET = withApi({ auth: "secret-key", scope: { resource: "transfers", access: "read" } }, async ({ params, merchantId }) =>
  getTransferDto({ merchantId, transferId: params.id! }),
);
