import { withApi } from "@/lib/api/with-api";
import { createDashboardTransfer, ZDashboardTransferRequest } from "@/lib/dashboard/balances";

// POST /api/dashboard/transfers — staff and above move money between two of the merchant's accounts
// (same checks as POST /api/v1/transfers; Idempotency-Key from the form, so a double submit moves it once)
export const POST = withApi(
  { auth: "session", capability: "transfer", body: ZDashboardTransferRequest, idempotency: "atomic" },
  async ({ merchantId, actor, body, tx }) => createDashboardTransfer(tx, { merchantId, actor, request: body }),
);
