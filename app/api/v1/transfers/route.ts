import { withApi } from "@/lib/api/with-api";
import { createTransferIdempotent, listTransfersPage, ZCreateTransferRequest, ZListTransfersQuery } from "@/lib/ledger";

// POST /api/v1/transfers — move money between two of the merchant's accounts in one currency
// (idempotency "statement": key record, transfer and stored response commit in one group-committed statement)
export const POST = withApi(
  { auth: "secret-key", scope: { resource: "transfers", access: "write" }, body: ZCreateTransferRequest, idempotency: "statement" },
  async ({ body, merchantId, idempotency }) => createTransferIdempotent(idempotency!, { merchantId, ...body }),
);

// GET /api/v1/transfers — the merchant's transfers, newest first (?account= for one account's)
export const GET = withApi({ auth: "secret-key", scope: { resource: "transfers", access: "read" }, query: ZListTransfersQuery }, async ({ query, merchantId }) =>
  listTransfersPage({ merchantId, ...query }),
);
