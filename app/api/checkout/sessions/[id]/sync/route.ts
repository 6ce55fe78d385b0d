import { clientIp, withApi } from "@/lib/api/with-api";
import { syncCheckoutAttempt, ZSyncAttemptRequest } from "@/lib/checkout";

// POST /api/checkout/sessions/:id/sync — public: re-read the attempt's payment from the PSP after the browser
// confirmed. The caller is the shopper's browser: its address goes to the fraud history with the outcome.
export const POST = withApi({ auth: "none", body: ZSyncAttemptRequest }, async ({ params, body, request }) =>
  syncCheckoutAttempt({ sessionId: params.id!, attempt: body.attempt, ipAddress: clientIp(request) }),
);
