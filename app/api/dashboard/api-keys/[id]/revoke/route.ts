// POST /api/dashboard/api-keys/:id/revoke — the key fails on the very next request.
import { revokeApiKey } from "@/lib/auth/api-keys";
import { withApi } from "@/lib/api/with-api";

export const POST = withApi({ auth: "session", capability: "manageApiKeys" }, async ({ merchantId, actor, params }) =>
  revokeApiKey({ merchantId, apiKeyId: params.id!, actor }),
);
