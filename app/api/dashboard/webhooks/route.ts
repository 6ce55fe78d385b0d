// Dashboard (session) endpoints for webhook endpoints: list, create (the secret is returned once).
import { ZListQuery } from "@/lib/api/pagination";
import { withApi } from "@/lib/api/with-api";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/notifications/manage-webhook-endpoints";
import { ZCreateWebhookEndpointRequest } from "@/lib/notifications/webhook-endpoints.types";

export const GET = withApi({ auth: "session", query: ZListQuery }, async ({ merchantId, query }) => listWebhookEndpoints(merchantId, query));

export const POST = withApi({ auth: "session", capability: "manageApiKeys", body: ZCreateWebhookEndpointRequest }, async ({ merchantId, actor, body }) =>
  createWebhookEndpoint({ merchantId, actor, ...body }),
);
