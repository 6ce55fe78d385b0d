import { clientIp, withApi } from "@/lib/api/with-api";
import { startCheckoutAttempt, ZStartAttemptRequest } from "@/lib/checkout";

// POST /api/checkout/sessions/:id/attempts — public (the session id is the capability): the attempt's
// payment and the client_secret Stripe.js confirms in the browser. The caller is the shopper's browser, so
// its address (same proxy rule as everywhere: first X-Forwarded-For entry) is the shopper's IP for the risk step.
export const POST = withApi({ auth: "none", body: ZStartAttemptRequest }, async ({ params, body, request }) =>
  startCheckoutAttempt({ sessionId: params.id!, ...body, ipAddress: clientIp(request) }),
);
