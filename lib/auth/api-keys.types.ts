import { z } from "zod";
import { ZScopes } from "./scopes";

export const ZCreateApiKeyRequest = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(100),
  kind: z.enum(["secret", "restricted"]).default("secret"),
  scopes: ZScopes.optional(),
});
export type TCreateApiKeyRequest = z.infer<typeof ZCreateApiKeyRequest>;

/** What leaves lib/: never the hash. */
export type ApiKeyDto = {
  id: string;
  object: "api_key";
  name: string;
  kind: "secret" | "restricted";
  prefix: string;
  scopes: Record<string, string> | null;
  created: string;
  last_used: string | null;
  revoked: string | null;
};
