// The only place Settle constructs the Stripe SDK; points it at the PSP sandbox when a sandbox URL is given.
import Stripe from "stripe";

export interface CreateStripeClientOptions {
  secretKey: string;
  /** e.g. http://127.0.0.1:12111 — when set, the SDK's host/port/protocol point there. */
  sandboxUrl?: string;
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

const DEFAULT_MAX_NETWORK_RETRIES = 2;
const DEFAULT_TIMEOUT_MS = 30_000;

export function createStripeClient(options: CreateStripeClientOptions): Stripe {
  if (!options.secretKey) throw new Error("createStripeClient: secretKey is required");
  const config: ConstructorParameters<typeof Stripe>[1] = {
    maxNetworkRetries: options.maxNetworkRetries ?? DEFAULT_MAX_NETWORK_RETRIES,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    telemetry: false,
    appInfo: { name: "settle" },
  };
  if (options.sandboxUrl) {
    const url = new URL(options.sandboxUrl);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`Unsupported sandbox URL: ${options.sandboxUrl}`);
    if (options.secretKey.startsWith("sk_live_") || options.secretKey.startsWith("rk_live_")) {
      throw new Error("Refusing to send a live-mode key to the PSP sandbox.");
    }
    config.host = url.hostname;
    config.port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
    config.protocol = url.protocol === "https:" ? "https" : "http";
  }
  return new Stripe(options.secretKey, config);
}
