// Dashboard (session) endpoints for API keys: list and create. The secret is returned once.
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { ZCreateApiKeyRequest } from "@/lib/auth/api-keys.types";
import { withApi } from "@/lib/api/with-api";

export const GET = withApi({ auth: "session" }, async ({ merchantId }) => ({ object: "list", data: await listApiKeys(merchantId), has_more: false }));

export const POST = withApi({ auth: "session", capability: "manageApiKeys", body: ZCreateApiKeyRequest }, async ({ merchantId, actor, body }) =>
  createApiKey({ ...body, merchantId, actor }),
);
