// Dashboard: resend one delivery now.
import { withApi } from "@/lib/api/with-api";
import { resendDelivery } from "@/lib/notifications/resend-webhooks";

export const POST = withApi({ auth: "session", capability: "manageApiKeys" }, async ({ merchantId, actor, params }) =>
  resendDelivery({ merchantId, deliveryId: params.id!, actor }),
);
