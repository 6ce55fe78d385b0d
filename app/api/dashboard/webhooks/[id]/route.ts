// Dashboard: update (enable/disable, URL, events) or delete one webhook endpoint.
import { withApi } from "@/lib/api/with-api";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/lib/notifications/manage-webhook-endpoints";
import { ZUpdateWebhookEndpointRequest } from "@/lib/notifications/webhook-endpoints.types";

export const GET = withApi({ auth: "session" }, async ({ merchantId, params }) => getWebhookEndpoint(merchantId, params.id!));

export const PATCH = withApi({ auth: "session", capability: "manageApiKeys", body: ZUpdateWebhookEndpointRequest }, async ({ merchantId, actor, body, params }) =>
  updateWebhookEndpoint({ merchantId, id: params.id!, actor, ...body }),
);

export const DELETE = withApi({ auth: "session", capability: "manageApiKeys" }, async ({ merchantId, actor, params }) =>
  deleteWebhookEndpoint({ merchantId, id: params.id!, actor }),
);
