// Dashboard: an endpoint's delivery log, newest first, with attempts.
import { ZListQuery } from "@/lib/api/pagination";
import { withApi } from "@/lib/api/with-api";
import { listDeliveries } from "@/lib/notifications/list-deliveries";
import { getWebhookEndpoint } from "@/lib/notifications/manage-webhook-endpoints";

export const GET = withApi({ auth: "session", query: ZListQuery }, async ({ merchantId, params, query }) => {
  await getWebhookEndpoint(merchantId, params.id!);
  return listDeliveries(merchantId, { endpointId: params.id! }, query);
});
