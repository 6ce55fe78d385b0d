// POST /api/v1/payments/:id/cancel — cancel a payment that has not been captured
import { withApi } from "@/lib/api/with-api";
import { cancelPayment } from "@/lib/payments/cancel-payment";
import { ZCancelPaymentRequest } from "@/lib/payments/payment.types";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZCancelPaymentRequest, idempotency: "external" },
  async ({ body, merchantId, params, actor }) => cancelPayment({ merchantId, paymentId: params.id!, reason: body.cancellation_reason, actor }),
);
