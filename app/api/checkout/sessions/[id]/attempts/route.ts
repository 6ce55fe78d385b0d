import { withApi } from "@/lib/api/with-api";
import { startCheckoutAttempt, ZStartAttemptRequest } from "@/lib/checkout";

// POST /api/checkout/sessions/:id/attempts — public (the session id is the capability): the attempt's
// payment and the client_secret Stripe.js confirms in the browser
export const POST = withApi({ auth: "none", body: ZStartAttemptRequest }, async ({ params, body }) =>
  startCheckoutAttempt({ sessionId: params.id!, ...body }),
);
