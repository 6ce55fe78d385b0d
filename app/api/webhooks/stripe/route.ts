// POST /api/webhooks/stripe — PSP webhook intake. Not through withApi: the signature covers the raw body.
import { AppError, errorBody } from "@/lib/api/errors";
import { newRequestId } from "@/lib/api/with-api";
import { logger } from "@/lib/log/logger";
import { receivePspWebhook } from "@/lib/webhooks/psp/receive-psp-webhook";

const BODY_LIMIT_BYTES = 1_000_000;

// Intake only: verify, store, answer. The worker's PSP event loop processes stored events within about
// half a second (scripts/worker.ts), off the web app's event loop, so intake costs one statement whatever
// the event and a webhook burst cannot take the API's time.
export async function POST(request: Request): Promise<Response> {
  const requestId = newRequestId();
  const headers = { "content-type": "application/json; charset=utf-8", "request-id": requestId };
  try {
    const raw = await request.text();
    if (raw.length > BODY_LIMIT_BYTES) throw new AppError("body_too_large", "Webhook body too large.");
    const received = await receivePspWebhook(raw, request.headers.get("stripe-signature"));
    return new Response(JSON.stringify({ received: true, duplicate: received.duplicate }), { status: 200, headers });
  } catch (error) {
    const appError = error instanceof AppError ? error : new AppError("internal_error", "Webhook intake failed.");
    if (!(error instanceof AppError)) logger.error({ err: error, requestId }, "webhook intake failed");
    return new Response(JSON.stringify(errorBody(appError, requestId)), { status: appError.status, headers });
  }
}
