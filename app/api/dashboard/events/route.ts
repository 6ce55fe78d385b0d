// Dashboard: the event log, newest first, filterable by type.
import { withApi } from "@/lib/api/with-api";
import { listEvents } from "@/lib/notifications/list-events";
import { ZListEventsQuery } from "@/lib/notifications/webhook-endpoints.types";

export const GET = withApi({ auth: "session", query: ZListEventsQuery }, async ({ merchantId, query }) => listEvents(merchantId, query));
