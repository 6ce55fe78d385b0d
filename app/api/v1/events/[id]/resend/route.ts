// POST /api/v1/events/:id/resend — send the event again now, to its endpoints or to { webhook_endpoint }.
import { withApi } from "@/lib/api/with-api";
import { resendEvent } from "@/lib/notifications/resend-webhooks";
import { ZResendEventRequest } from "@/lib/notifications/webhook-endpoints.types";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "webhooks", access: "write" }, body: ZResendEventRequest, idempotency: "external" },
  async ({ merchantId, actor, params, body }) => resendEvent({ merchantId, eventId: params.id!, webhookEndpointId: body.webhook_endpoint, actor }),
);
