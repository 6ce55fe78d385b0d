// GET /api/v1/merchant — the merchant the API key belongs to.
import { withApi } from "@/lib/api/with-api";
import { getMerchant } from "@/lib/tenancy/get-merchant";

export const GET = withApi({ auth: "secret-key" }, async ({ merchantId }) => getMerchant(merchantId));
