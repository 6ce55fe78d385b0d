// /api/v1/webhook_endpoints — list endpoints; create one (its signing secret is in this response only).
import { ZListQuery } from "@/lib/api/pagination";
import { withApi } from "@/lib/api/with-api";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/notifications/manage-webhook-endpoints";
import { ZCreateWebhookEndpointRequest } from "@/lib/notifications/webhook-endpoints.types";

export const GET = withApi({ auth: "secret-key", scope: { resource: "webhooks", access: "read" }, query: ZListQuery }, async ({ merchantId, query }) =>
  listWebhookEndpoints(merchantId, query),
);

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "webhooks", access: "write" }, body: ZCreateWebhookEndpointRequest, idempotency: "atomic" },
  async ({ merchantId, actor, body, tx }) => createWebhookEndpoint({ merchantId, actor, ...body }, tx),
);
