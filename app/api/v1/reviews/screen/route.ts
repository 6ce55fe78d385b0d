// POST /api/v1/reviews/screen — AML and sanctions screening of a payment or transfer; a hit holds it for review.
import { withApi } from "@/lib/api/with-api";
import { screenTransaction } from "@/lib/compliance/aml/screen-transaction";
import { ZScreenTransactionRequest } from "@/lib/compliance/aml/screen-transaction.types";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZScreenTransactionRequest, idempotency: "external" },
  async ({ merchantId, actor, body }) => screenTransaction({ merchantId, actor, ...body }),
);
