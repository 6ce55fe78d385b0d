// GET /api/v1/events/:id — one event, as it is delivered.
import { withApi } from "@/lib/api/with-api";
import { getEvent } from "@/lib/notifications/list-events";

export const GET = withApi({ auth: "secret-key", scope: { resource: "webhooks", access: "read" } }, async ({ merchantId, params }) => getEvent(merchantId, params.id!));
