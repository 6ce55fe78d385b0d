import { withApi } from "@/lib/api/with-api";
import { getCheckoutSession } from "@/lib/checkout/get-checkout-session";

// GET /api/v1/checkout/sessions/:id — one of the merchant's checkout sessions
export const GET = withApi({ auth: "secret-key", scope: { resource: "checkout", access: "read" } }, async ({ params, merchantId }) =>
  getCheckoutSession(merchantId, params.id!),
);
