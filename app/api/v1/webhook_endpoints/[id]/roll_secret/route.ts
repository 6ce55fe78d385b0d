// POST /api/v1/webhook_endpoints/:id/roll_secret — a new secret (returned once); the old one keeps signing for expires_in_hours.
import { withApi } from "@/lib/api/with-api";
import { rollWebhookEndpointSecret } from "@/lib/notifications/manage-webhook-endpoints";
import { ZRollSecretRequest } from "@/lib/notifications/webhook-endpoints.types";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "webhooks", access: "write" }, body: ZRollSecretRequest, idempotency: "atomic" },
  async ({ merchantId, actor, body, params, tx }) => rollWebhookEndpointSecret({ merchantId, id: params.id!, actor, ...body }, tx),
);
