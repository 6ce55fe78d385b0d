// GET /customers/:id/export — dashboard GDPR export for admins (session; audited)
import { withApi } from "@/lib/api/with-api";
import { exportCustomerData } from "@/lib/customers/export-customer-data";

export const GET = withApi({ auth: "session", capability: "reviewCompliance" }, async ({ merchantId, actor, params }) =>
  exportCustomerData(merchantId, params.id!, { actor }),
);
