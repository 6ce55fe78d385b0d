// Public API of lib/checkout: hosted checkout sessions, their payment attempts and the page's read model.
export { checkoutContentSecurityPolicy, getStripeJsConfig, pspOrigins, SANDBOX_PUBLISHABLE_KEY, type StripeJsConfig } from "./checkout-config";
export { checkoutUrl, effectiveStatus, toCheckoutSessionDto } from "./checkout-session-dto";
export * from "./checkout-session.types";
export { createCheckoutSession, priceLineItems } from "./create-checkout-session";
export { type CheckoutPageView, getCheckoutPage, localeFromAcceptLanguage } from "./get-checkout-page";
export { attemptKey, type CheckoutAttemptDto, declineMessage, startCheckoutAttempt } from "./start-checkout-attempt";
export { syncCheckoutAttempt } from "./sync-checkout-attempt";
