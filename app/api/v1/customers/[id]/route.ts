// GET /api/v1/customers/:id — a customer with decrypted personal data (audited as personal_data.read)
import { withApi } from "@/lib/api/with-api";
import { readCustomer } from "@/lib/customers/get-customer";

export const GET = withApi({ auth: "secret-key", scope: { resource: "customers", access: "read" } }, async ({ merchantId, actor, params }) =>
  readCustomer({ merchantId, customerId: params.id!, actor }),
);
