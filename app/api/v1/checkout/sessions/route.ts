import { withApi } from "@/lib/api/with-api";
import { createCheckoutSession, ZCreateCheckoutSessionRequest } from "@/lib/checkout";

// POST /api/v1/checkout/sessions — a hosted payment page for an amount or line items; returns its url
export const POST = withApi(
  { auth: "secret-key", scope: { resource: "checkout", access: "write" }, body: ZCreateCheckoutSessionRequest, idempotency: "atomic" },
  async ({ body, merchantId, actor, idempotencyKey, tx }) => createCheckoutSession(tx, { merchantId, actor, idempotencyKey, request: body }),
);
