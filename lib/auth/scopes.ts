// Restricted API keys carry a permission per resource, as Stripe's restricted keys do.
import { z } from "zod";

export const API_RESOURCES = [
  "payments",
  "refunds",
  "transfers",
  "accounts",
  "customers",
  "disputes",
  "checkout",
  "webhooks",
  "reports",
] as const;
export type ApiResource = (typeof API_RESOURCES)[number];

export const ACCESS_LEVELS = ["none", "read", "write"] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const ZScopes = z
  .partialRecord(z.enum(API_RESOURCES), z.enum(ACCESS_LEVELS))
  .describe("permission per resource: none, read or write");
export type Scopes = Partial<Record<ApiResource, AccessLevel>>;

/** `null` scopes mean a full secret key. Write access implies read. */
export function allows(scopes: Scopes | null, resource: ApiResource, needed: "read" | "write"): boolean {
  if (scopes === null) return true;
  const granted = scopes[resource] ?? "none";
  if (needed === "read") return granted === "read" || granted === "write";
  return granted === "write";
}
