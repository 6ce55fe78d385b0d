// POST /api/v1/payments — create and confirm a payment; GET — list payments (filters, cursor pages)
import { withApi } from "@/lib/api/with-api";
import { createPayment } from "@/lib/payments/create-payment";
import { listPayments } from "@/lib/payments/get-payment";
import { ZCreatePaymentRequest, ZListPaymentsQuery } from "@/lib/payments/payment.types";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZCreatePaymentRequest, idempotency: "external" },
  async ({ body, merchantId, idempotencyKey, actor }) => createPayment({ merchantId, idempotencyKey: idempotencyKey!, actor, request: body }),
);

export const GET = withApi({ auth: "secret-key", scope: { resource: "payments", access: "read" }, query: ZListPaymentsQuery }, async ({ merchantId, query }) =>
  listPayments(merchantId, query),
);
