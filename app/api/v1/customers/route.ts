// POST /api/v1/customers — create a customer (personal data stored encrypted; not echoed back)
// GET  /api/v1/customers — list customers, or find them by exact email (?email=) through the blind index
import { withApi } from "@/lib/api/with-api";
import { createCustomer } from "@/lib/customers/create-customer";
import { ZCreateCustomerRequest, ZListCustomersQuery } from "@/lib/customers/customer.types";
import { listCustomers } from "@/lib/customers/list-customers";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "customers", access: "write" }, body: ZCreateCustomerRequest, idempotency: "atomic" },
  async ({ tx, merchantId, actor, body }) => createCustomer(tx, { merchantId, actor, ...body }),
);

export const GET = withApi(
  { auth: "secret-key", scope: { resource: "customers", access: "read" }, query: ZListCustomersQuery },
  async ({ merchantId, actor, query }) => listCustomers({ merchantId, actor, query, via: "api" }),
);
