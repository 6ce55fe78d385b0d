import { withApi } from "@/lib/api/with-api";
import { getAccountDto } from "@/lib/ledger";

// GET /api/v1/accounts/:id — one account with its current balance
export const GET = withApi({ auth: "secret-key", scope: { resource: "accounts", access: "read" } }, async ({ params, merchantId }) =>
  getAccountDto({ merchantId, accountId: params.id! }),
);
