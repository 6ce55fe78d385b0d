// Which URLs Settle will POST merchant events to. Webhooks make Settle send requests on a merchant's
// behalf, so they must not reach Settle's own network (SSRF): private and link-local addresses are
// refused unless the operator allows them, loopback only outside production, and production needs https.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { AppError } from "@/lib/api/errors";
import { getEnv, type Env } from "@/lib/env";

export const URL_LENGTH_MAX = 2048;

export type UrlPolicy = { production: boolean; allowPrivateNetworks: boolean };

/**
 * Production rules apply when NODE_ENV is production and Settle is served from a real host: a production
 * build on a laptop or in the e2e stack (APP_URL on localhost) may still deliver to a local receiver.
 */
export function urlPolicyFor(env: Pick<Env, "NODE_ENV" | "APP_URL" | "WEBHOOK_ALLOW_PRIVATE_NETWORKS">): UrlPolicy {
  const appHost = new URL(env.APP_URL).hostname.replace(/^\[|\]$/g, "");
  const servedLocally = appHost === "localhost" || appHost.endsWith(".localhost") || (isIP(appHost) !== 0 && classifyAddress(appHost) === "loopback");
  return { production: env.NODE_ENV === "production" && !servedLocally, allowPrivateNetworks: env.WEBHOOK_ALLOW_PRIVATE_NETWORKS };
}

export function urlPolicyFromEnv(): UrlPolicy {
  return urlPolicyFor(getEnv());
}

function ipv4Parts(ip: string): number[] | null {
  const parts = ip.split(".").map(Number);
  return parts.length === 4 && parts.every((part) => Number.isInteger(part) && part >= 0 && part <= 255) ? parts : null;
}

/** "loopback", "private" (RFC 1918, CGNAT, link-local, unique-local, unspecified, metadata) or "public". */
export function classifyAddress(ip: string): "loopback" | "private" | "public" {
  const mapped = ip.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) return classifyAddress(mapped[1]!);
  const v4 = ipv4Parts(ip);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    if (a === 127) return "loopback";
    if (a === 0 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127) || a >= 224) {
      return "private";
    }
    return "public";
  }
  const v6 = ip.toLowerCase();
  if (v6 === "::1") return "loopback";
  if (v6 === "::" || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || /^ff/.test(v6)) return "private";
  return "public";
}

function refuse(message: string): never {
  throw new AppError("parameter_invalid", message, { param: "url" });
}

function checkAddressClass(kind: "loopback" | "private" | "public", policy: UrlPolicy): void {
  if (kind === "loopback" && policy.production) refuse("Webhook URLs cannot point at this server's loopback interface.");
  if (kind === "private" && !policy.allowPrivateNetworks) refuse("Webhook URLs cannot point at private or link-local network addresses.");
}

/** Checks the URL's form and, for literal IPs and localhost, its address. Returns the normalised URL. */
export function validateEndpointUrl(raw: string, policy: UrlPolicy = urlPolicyFromEnv()): string {
  if (raw.length > URL_LENGTH_MAX) refuse(`Webhook URLs are limited to ${URL_LENGTH_MAX} characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    refuse("The webhook URL is not a valid absolute URL.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") refuse("Webhook URLs must use https (or http outside production).");
  if (policy.production && url.protocol !== "https:") refuse("Webhook URLs must use https.");
  if (url.username || url.password) refuse("Webhook URLs must not contain credentials; verify the Settle-Signature header instead.");
  if (url.hash) refuse("Webhook URLs must not contain a fragment.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) checkAddressClass(classifyAddress(host), policy);
  else if (host === "localhost" || host.endsWith(".localhost")) checkAddressClass("loopback", policy);
  else if (!host.includes(".")) refuse("Webhook URLs need a fully qualified host name.");
  return url.toString();
}

/**
 * At delivery time: resolves the host and refuses if any address is not allowed, so a public name that
 * was later pointed at an internal address is caught. (A resolver that changes its answer between this
 * lookup and the connection is not; the outbound firewall is the backstop for that.)
 */
export async function assertDeliverableHost(rawUrl: string, policy: UrlPolicy = urlPolicyFromEnv()): Promise<void> {
  const host = new URL(rawUrl).hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  for (const address of addresses) checkAddressClass(classifyAddress(address), policy);
}
