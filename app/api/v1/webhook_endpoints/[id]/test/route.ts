// POST /api/v1/webhook_endpoints/:id/test — send a webhook_endpoint.test event to this endpoint now.
import { withApi } from "@/lib/api/with-api";
import { sendTestEvent } from "@/lib/notifications/resend-webhooks";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "webhooks", access: "write" }, idempotency: "external" },
  async ({ merchantId, actor, params }) => sendTestEvent({ merchantId, webhookEndpointId: params.id!, actor }),
);
