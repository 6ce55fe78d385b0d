import { withApi } from "@/lib/api/with-api";
import { listEntriesPage, ZListEntriesQuery } from "@/lib/ledger";

// GET /api/v1/accounts/:id/entries — the account's ledger entries, newest first; ?as_of= adds the balance then
export const GET = withApi({ auth: "secret-key", scope: { resource: "accounts", access: "read" }, query: ZListEntriesQuery }, async ({ params, query, merchantId }) =>
  listEntriesPage({ merchantId, accountId: params.id!, ...query }),
);
