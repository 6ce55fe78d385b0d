// GET /api/v1/payments/:id/events — the payment's state history, oldest first
import { ZListQuery } from "@/lib/api/pagination";
import { withApi } from "@/lib/api/with-api";
import { listPaymentEvents } from "@/lib/payments/get-payment";

export const GET = withApi({ auth: "secret-key", scope: { resource: "payments", access: "read" }, query: ZListQuery }, async ({ merchantId, params, query }) =>
  listPaymentEvents(merchantId, params.id!, query),
);
