import { withApi } from "@/lib/api/with-api";
import { createTransferDto, listTransfersPage, ZCreateTransferRequest, ZListTransfersQuery } from "@/lib/ledger";

// POST /api/v1/transfers — move money between two of the merchant's accounts in one currency
export const POST = withApi(
  { auth: "secret-key", scope: { resource: "transfers", access: "write" }, body: ZCreateTransferRequest, idempotency: "atomic" },
  async ({ body, merchantId, tx }) => createTransferDto(tx, { merchantId, ...body }),
);

// GET /api/v1/transfers — the merchant's transfers, newest first (?account= for one account's)
export const GET = withApi({ auth: "secret-key", scope: { resource: "transfers", access: "read" }, query: ZListTransfersQuery }, async ({ query, merchantId }) =>
  listTransfersPage({ merchantId, ...query }),
);
