// /api/v1/webhook_endpoints/:id — retrieve, update (POST, as Stripe; PATCH too), delete.
import { withApi } from "@/lib/api/with-api";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/lib/notifications/manage-webhook-endpoints";
import { ZUpdateWebhookEndpointRequest } from "@/lib/notifications/webhook-endpoints.types";

export const GET = withApi({ auth: "secret-key", scope: { resource: "webhooks", access: "read" } }, async ({ merchantId, params }) =>
  getWebhookEndpoint(merchantId, params.id!),
);

const update = withApi(
  { auth: "secret-key", scope: { resource: "webhooks", access: "write" }, body: ZUpdateWebhookEndpointRequest, idempotency: "atomic" },
  async ({ merchantId, actor, body, params, tx }) => updateWebhookEndpoint({ merchantId, id: params.id!, actor, ...body }, tx),
);
export const POST = update;
export const PATCH = update;

export const DELETE = withApi(
  { auth: "secret-key", scope: { resource: "webhooks", access: "write" }, idempotency: "atomic" },
  async ({ merchantId, actor, params, tx }) => deleteWebhookEndpoint({ merchantId, id: params.id!, actor }, tx),
);
