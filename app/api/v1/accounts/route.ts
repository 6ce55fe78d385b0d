import { withApi } from "@/lib/api/with-api";
import { createAccountDto, listAccountsPage, ZCreateAccountRequest, ZListAccountsQuery } from "@/lib/ledger";

// POST /api/v1/accounts — open a customer wallet or a merchant balance (liability, floor 0)
export const POST = withApi(
  { auth: "secret-key", scope: { resource: "accounts", access: "write" }, body: ZCreateAccountRequest, idempotency: "atomic" },
  async ({ body, merchantId, tx }) => createAccountDto(tx, { merchantId, ...body }),
);

// GET /api/v1/accounts — the merchant's accounts, newest first
export const GET = withApi({ auth: "secret-key", scope: { resource: "accounts", access: "read" }, query: ZListAccountsQuery }, async ({ query, merchantId }) =>
  listAccountsPage({ merchantId, ...query }),
);
