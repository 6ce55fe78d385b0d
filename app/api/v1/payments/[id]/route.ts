// GET /api/v1/payments/:id — one payment
import { withApi } from "@/lib/api/with-api";
import { getPayment } from "@/lib/payments/get-payment";

export const GET = withApi({ auth: "secret-key", scope: { resource: "payments", access: "read" } }, async ({ merchantId, params }) => getPayment(merchantId, params.id!));
