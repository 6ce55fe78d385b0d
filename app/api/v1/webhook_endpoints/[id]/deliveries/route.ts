// GET /api/v1/webhook_endpoints/:id/deliveries — the endpoint's delivery log, newest first, with attempts.
import { ZListQuery } from "@/lib/api/pagination";
import { withApi } from "@/lib/api/with-api";
import { listDeliveries } from "@/lib/notifications/list-deliveries";
import { getWebhookEndpoint } from "@/lib/notifications/manage-webhook-endpoints";

export const GET = withApi({ auth: "secret-key", scope: { resource: "webhooks", access: "read" }, query: ZListQuery }, async ({ merchantId, params, query }) => {
  await getWebhookEndpoint(merchantId, params.id!);
  return listDeliveries(merchantId, { endpointId: params.id! }, query);
});
