import { withApi } from "@/lib/api/with-api";
import { syncCheckoutAttempt, ZSyncAttemptRequest } from "@/lib/checkout";

// POST /api/checkout/sessions/:id/sync — public: re-read the attempt's payment from the PSP after the browser confirmed
export const POST = withApi({ auth: "none", body: ZSyncAttemptRequest }, async ({ params, body }) =>
  syncCheckoutAttempt({ sessionId: params.id!, attempt: body.attempt }),
);
