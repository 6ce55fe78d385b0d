// Dashboard: send a test event to one endpoint now.
import { withApi } from "@/lib/api/with-api";
import { sendTestEvent } from "@/lib/notifications/resend-webhooks";

export const POST = withApi({ auth: "session", capability: "manageApiKeys" }, async ({ merchantId, actor, params }) =>
  sendTestEvent({ merchantId, webhookEndpointId: params.id!, actor }),
);
