// POST /customers/:id/erase — dashboard GDPR erasure for admins (session, same-origin; audited)
import { withApi } from "@/lib/api/with-api";
import { eraseCustomer } from "@/lib/customers/erase-customer";

export const POST = withApi({ auth: "session", capability: "reviewCompliance" }, async ({ merchantId, actor, params }) =>
  eraseCustomer(merchantId, params.id!, actor),
);
