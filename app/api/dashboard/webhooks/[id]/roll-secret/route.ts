// Dashboard: roll an endpoint's signing secret; the new one is returned once.
import { withApi } from "@/lib/api/with-api";
import { rollWebhookEndpointSecret } from "@/lib/notifications/manage-webhook-endpoints";
import { ZRollSecretRequest } from "@/lib/notifications/webhook-endpoints.types";

export const POST = withApi({ auth: "session", capability: "manageApiKeys", body: ZRollSecretRequest }, async ({ merchantId, actor, body, params }) =>
  rollWebhookEndpointSecret({ merchantId, id: params.id!, actor, ...body }),
);
