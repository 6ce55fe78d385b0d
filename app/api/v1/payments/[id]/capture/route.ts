// POST /api/v1/payments/:id/capture — capture an authorized payment, all or part (amount_to_capture)
import { withApi } from "@/lib/api/with-api";
import { capturePayment } from "@/lib/payments/capture-payment";
import { ZCapturePaymentRequest } from "@/lib/payments/payment.types";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZCapturePaymentRequest, idempotency: "external" },
  async ({ body, merchantId, params, actor }) => capturePayment({ merchantId, paymentId: params.id!, amountToCapture: body.amount_to_capture, actor }),
);
