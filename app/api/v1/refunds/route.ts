// POST /api/v1/refunds — refund all or part of a captured payment; GET — list refunds
import { withApi } from "@/lib/api/with-api";
import { createRefund } from "@/lib/refunds/create-refund";
import { listRefunds } from "@/lib/refunds/get-refund";
import { ZCreateRefundRequest, ZListRefundsQuery } from "@/lib/refunds/refund.types";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "refunds", access: "write" }, body: ZCreateRefundRequest, idempotency: "external" },
  async ({ body, merchantId, idempotencyKey, actor }) =>
    createRefund({ merchantId, paymentId: body.payment, amount: body.amount, reason: body.reason, idempotencyKey, actor }),
);

export const GET = withApi({ auth: "secret-key", scope: { resource: "refunds", access: "read" }, query: ZListRefundsQuery }, async ({ merchantId, query }) =>
  listRefunds(merchantId, query),
);
