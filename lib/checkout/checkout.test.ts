// Pure parts of hosted checkout: request validation, basket pricing, expiry, locale choice, the CSP and decline wording.
import { describe, expect, it } from "vitest";
import { checkoutContentSecurityPolicy, getStripeJsConfig, SANDBOX_PUBLISHABLE_KEY } from "./checkout-config";
import { effectiveStatus } from "./checkout-session-dto";
import { ZCreateCheckoutSessionRequest } from "./checkout-session.types";
import { priceLineItems } from "./create-checkout-session";
import { documentLanguage } from "./document-language";
import { localeFromAcceptLanguage } from "./get-checkout-page";
import { declineMessage } from "./start-checkout-attempt";
import { getEnv } from "@/lib/env";

const baseEnv = { DATABASE_URL: "postgresql://localhost/x", AUTH_SECRET: "x".repeat(32), PSP_SANDBOX_URL: "http://127.0.0.1:12111", APP_URL: "http://localhost:3000" };

describe("create request", () => {
  it("takes either line_items or amount, not both and not neither", () => {
    expect(ZCreateCheckoutSessionRequest.safeParse({ currency: "USD", amount: 100 }).success).toBe(true);
    expect(ZCreateCheckoutSessionRequest.safeParse({ currency: "USD", line_items: [{ name: "A", quantity: 1, unit_amount: 5 }] }).success).toBe(true);
    expect(ZCreateCheckoutSessionRequest.safeParse({ currency: "USD" }).success).toBe(false);
    expect(ZCreateCheckoutSessionRequest.safeParse({ currency: "USD", amount: 1, line_items: [{ name: "A", quantity: 1, unit_amount: 5 }] }).success).toBe(false);
  });
  it("refuses floats, zero quantities, unknown fields and non-http URLs; defaults to 30 minutes", () => {
    expect(ZCreateCheckoutSessionRequest.safeParse({ currency: "USD", amount: 10.5 }).success).toBe(false);
    expect(ZCreateCheckoutSessionRequest.safeParse({ currency: "USD", line_items: [{ name: "A", quantity: 0, unit_amount: 5 }] }).success).toBe(false);
    expect(ZCreateCheckoutSessionRequest.safeParse({ currency: "USD", amount: 1, card: "4242" }).success).toBe(false);
    expect(ZCreateCheckoutSessionRequest.safeParse({ currency: "USD", amount: 1, success_url: "javascript:alert(1)" }).success).toBe(false);
    expect(ZCreateCheckoutSessionRequest.parse({ currency: "USD", amount: 1 }).expires_in_minutes).toBe(30);
  });
});

describe("priceLineItems", () => {
  it("adds quantity × unit amount exactly, in bigint", () => {
    const { items, totalMinor } = priceLineItems({ line_items: [{ name: "A", quantity: 3, unit_amount: 333n }, { name: "B", quantity: 1, unit_amount: 1n }] });
    expect(totalMinor).toBe(1000n);
    expect(items[0]).toEqual({ name: "A", quantity: 3, unit_amount: "333" });
  });
  it("makes one line for an amount", () => {
    expect(priceLineItems({ amount: 2500n })).toEqual({ items: [{ name: "Payment", quantity: 1, unit_amount: "2500" }], totalMinor: 2500n });
  });
  it("refuses a total beyond a bigint column", () => {
    expect(() => priceLineItems({ line_items: [{ name: "A", quantity: 10_000, unit_amount: 9_000_000_000_000_000_000n }] })).toThrow(/largest amount/);
  });
});

describe("effectiveStatus", () => {
  it("is expired once the time is up, even before the row says so", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    expect(effectiveStatus({ status: "open", expiresAt: new Date("2026-01-01T12:00:01Z") }, now)).toBe("open");
    expect(effectiveStatus({ status: "open", expiresAt: new Date("2026-01-01T12:00:00Z") }, now)).toBe("expired");
    expect(effectiveStatus({ status: "complete", expiresAt: new Date("2020-01-01T00:00:00Z") }, now)).toBe("complete");
  });
});

describe("localeFromAcceptLanguage", () => {
  it("picks the highest-weighted locale Intl supports", () => {
    expect(localeFromAcceptLanguage("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
    expect(localeFromAcceptLanguage("en;q=0.5, fr-CH;q=0.9")).toBe("fr-CH");
    expect(localeFromAcceptLanguage(null)).toBe("en-US");
    expect(localeFromAcceptLanguage("*")).toBe("en-US");
    expect(localeFromAcceptLanguage("not a locale!!, ja")).toBe("ja");
  });
});

describe("checkout CSP", () => {
  it("allows only self and the sandbox in sandbox mode, with the nonce", () => {
    const env = getEnv(baseEnv as unknown as NodeJS.ProcessEnv);
    const policy = checkoutContentSecurityPolicy("abc123", { env });
    expect(policy).toContain("script-src 'self' 'nonce-abc123' http://127.0.0.1:12111");
    expect(policy).toContain("frame-src http://127.0.0.1:12111");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("stripe.com");
    expect(policy).not.toContain("unsafe-eval");
    expect(getStripeJsConfig(env)).toEqual({ publishableKey: SANDBOX_PUBLISHABLE_KEY, shimScriptUrl: "http://127.0.0.1:12111/js/stripe.js", sandbox: true });
  });
  it("allows js.stripe.com in live mode and never loads the shim there", () => {
    const env = getEnv({ ...baseEnv, STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_PUBLISHABLE_KEY: "pk_live_abc", APP_URL: "https://pay.example" } as unknown as NodeJS.ProcessEnv);
    const policy = checkoutContentSecurityPolicy("n", { env });
    expect(policy).toContain("script-src 'self' 'nonce-n' https://js.stripe.com");
    expect(policy).toContain("connect-src 'self' https://api.stripe.com");
    expect(policy).toContain("upgrade-insecure-requests");
    expect(policy).not.toContain("127.0.0.1");
    expect(getStripeJsConfig(env).shimScriptUrl).toBeNull();
  });
});

describe("declineMessage", () => {
  it("speaks to the customer, not in codes", () => {
    expect(declineMessage({ declineCode: "insufficient_funds", failureCode: "card_declined", failureMessage: null })).toMatch(/insufficient funds/);
    expect(declineMessage({ declineCode: null, failureCode: "something_new", failureMessage: null })).toMatch(/declined/);
  });
});

describe("documentLanguage", () => {
  it("follows the customer's locale where the page's words are in that language, else stays English", () => {
    expect(documentLanguage("en-GB")).toBe("en-GB");
    expect(documentLanguage("en-us")).toBe("en-US");
    expect(documentLanguage(localeFromAcceptLanguage("en-GB,en;q=0.8"))).toBe("en-GB");
    expect(documentLanguage(localeFromAcceptLanguage("de-DE,de;q=0.9"))).toBe("en");
    expect(documentLanguage("fr")).toBe("en");
    expect(documentLanguage("not a tag")).toBe("en");
    expect(documentLanguage(null)).toBe("en");
  });
});
