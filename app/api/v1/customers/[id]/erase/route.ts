// POST /api/v1/customers/:id/erase — GDPR erasure: crypto-shreds the customer's personal data (audited)
import { withApi } from "@/lib/api/with-api";
import { eraseCustomer } from "@/lib/customers/erase-customer";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "customers", access: "write" }, idempotency: "atomic" },
  async ({ tx, merchantId, actor, params }) => eraseCustomer(merchantId, params.id!, actor, tx),
);
