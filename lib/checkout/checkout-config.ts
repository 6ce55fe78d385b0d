// Where the checkout page gets Stripe.js from and what its Content-Security-Policy allows: the PSP
// sandbox's shim in sandbox mode (loaded from the sandbox's own origin, so no request ever goes to
// js.stripe.com), Stripe's CDN in live mode. Card details go from the browser to the PSP only.
import { getEnv, usesPspSandbox, type Env } from "@/lib/env";

/** The sandbox accepts any pk_test_ key; the "sandbox" marker keeps it from being mistaken for a real one. */
export const SANDBOX_PUBLISHABLE_KEY = "pk_test_sandbox_settle";

export type StripeJsConfig = {
  /** Publishable key the page hands to loadStripe. */
  publishableKey: string;
  /** Sandbox only: the shim's URL, put on the page as a classic script before the app bundle (spec §7.1). */
  shimScriptUrl: string | null;
  sandbox: boolean;
};

export function getStripeJsConfig(env: Env = getEnv()): StripeJsConfig {
  if (usesPspSandbox(env)) {
    const base = env.PSP_SANDBOX_URL.replace(/\/+$/, "");
    return { publishableKey: env.STRIPE_PUBLISHABLE_KEY?.startsWith("pk_test_") ? env.STRIPE_PUBLISHABLE_KEY : SANDBOX_PUBLISHABLE_KEY, shimScriptUrl: `${base}/js/stripe.js`, sandbox: true };
  }
  if (!env.STRIPE_PUBLISHABLE_KEY) throw new Error("STRIPE_PUBLISHABLE_KEY must be set when STRIPE_SECRET_KEY is (the checkout page needs it).");
  return { publishableKey: env.STRIPE_PUBLISHABLE_KEY, shimScriptUrl: null, sandbox: false };
}

/** The PSP origins the checkout page may load scripts and frames from and send requests to. */
export function pspOrigins(env: Env = getEnv()): { script: string[]; frame: string[]; connect: string[] } {
  if (usesPspSandbox(env)) {
    const origin = new URL(env.PSP_SANDBOX_URL).origin;
    return { script: [origin], frame: [origin], connect: [origin] };
  }
  return {
    script: ["https://js.stripe.com"],
    frame: ["https://js.stripe.com", "https://hooks.stripe.com"],
    connect: ["https://api.stripe.com"],
  };
}

/**
 * The checkout page's policy: its own origin, the PSP's scripts and frames, and Next's inline scripts
 * by nonce. No other origin can run script on the page where a customer pays.
 */
export function checkoutContentSecurityPolicy(nonce: string, options: { env?: Env; development?: boolean } = {}): string {
  const env = options.env ?? getEnv();
  const psp = pspOrigins(env);
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' ${psp.script.join(" ")}${options.development ? " 'unsafe-eval'" : ""}`,
    // Tailwind is a stylesheet of our own; the PSP's iframes and 3DS overlay set inline styles.
    "style-src 'self' 'unsafe-inline'",
    `frame-src ${psp.frame.join(" ")}`,
    `connect-src 'self' ${psp.connect.join(" ")}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (env.APP_URL.startsWith("https://")) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}
