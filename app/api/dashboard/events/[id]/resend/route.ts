// Dashboard: resend an event to the endpoints it went to.
import { withApi } from "@/lib/api/with-api";
import { resendEvent } from "@/lib/notifications/resend-webhooks";
import { ZResendEventRequest } from "@/lib/notifications/webhook-endpoints.types";

export const POST = withApi({ auth: "session", capability: "manageApiKeys", body: ZResendEventRequest }, async ({ merchantId, actor, params, body }) =>
  resendEvent({ merchantId, eventId: params.id!, webhookEndpointId: body.webhook_endpoint, actor }),
);
