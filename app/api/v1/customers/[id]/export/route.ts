// GET /api/v1/customers/:id/export — GDPR export: all personal data held about the customer (audited)
import { withApi } from "@/lib/api/with-api";
import { exportCustomerData } from "@/lib/customers/export-customer-data";

export const GET = withApi({ auth: "secret-key", scope: { resource: "customers", access: "read" } }, async ({ merchantId, actor, params }) =>
  exportCustomerData(merchantId, params.id!, { actor }),
);
