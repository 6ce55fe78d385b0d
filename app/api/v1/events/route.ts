// GET /api/v1/events — the merchant's events, newest first; ?type=payment.captured or payment.*, ?object_id=.
import { withApi } from "@/lib/api/with-api";
import { listEvents } from "@/lib/notifications/list-events";
import { ZListEventsQuery } from "@/lib/notifications/webhook-endpoints.types";

export const GET = withApi({ auth: "secret-key", scope: { resource: "webhooks", access: "read" }, query: ZListEventsQuery }, async ({ merchantId, query }) =>
  listEvents(merchantId, query),
);
