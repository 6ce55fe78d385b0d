// Test data builders shared by integration tests: a merchant with users and API keys.
import { createApiKey } from "@/lib/auth/api-keys";
import type { Scopes } from "@/lib/auth/scopes";
import { createMerchant } from "@/lib/tenancy/manage-tenancy";

const system = { type: "system", id: "test" } as const;

export async function makeMerchant(name = "Test Merchant"): Promise<{ merchantId: string; secret: string; apiKeyId: string }> {
  const merchant = await createMerchant({ name, actor: system });
  const key = await createApiKey({ merchantId: merchant.id, name: "test key", kind: "secret", actor: system });
  return { merchantId: merchant.id, secret: key.secret, apiKeyId: key.apiKey.id };
}

export async function makeRestrictedKey(merchantId: string, scopes: Scopes): Promise<string> {
  const key = await createApiKey({ merchantId, name: "restricted", kind: "restricted", scopes, actor: system });
  return key.secret;
}

let counter = 0;
/** Builds a Request the way Next.js hands one to a route handler. */
export function apiRequest(
  path: string,
  options: { method?: string; secret?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; idempotencyKey?: string } = {},
): Request {
  const headers: Record<string, string> = { ...options.headers };
  if (options.secret) headers.authorization = `Bearer ${options.secret}`;
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  counter++;
  return new Request(`http://localhost:3000${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
}

export function routeParams(params: Record<string, string>) {
  return { params: Promise.resolve(params) };
}
