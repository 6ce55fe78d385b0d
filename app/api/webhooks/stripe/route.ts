// POST /api/webhooks/stripe — PSP webhook intake. Not through withApi: the signature covers the raw body.
import { AppError, errorBody } from "@/lib/api/errors";
import { newRequestId } from "@/lib/api/with-api";
import { logger } from "@/lib/log/logger";
import { processClaimedPspEvent } from "@/lib/webhooks/psp/process-psp-events";
import { receivePspWebhook } from "@/lib/webhooks/psp/receive-psp-webhook";

const BODY_LIMIT_BYTES = 1_000_000;
/**
 * Back-pressure: at most this many events are processed inline at once; beyond it an event stays
 * stored and the worker's PSP event loop takes it, so a webhook burst cannot starve the API's pool.
 */
const INLINE_PROCESSING_MAX = 4;
let inlineProcessing = 0;

export async function POST(request: Request): Promise<Response> {
  const requestId = newRequestId();
  const headers = { "content-type": "application/json; charset=utf-8", "request-id": requestId };
  try {
    const raw = await request.text();
    if (raw.length > BODY_LIMIT_BYTES) throw new AppError("body_too_large", "Webhook body too large.");
    // A free inline slot is taken before the insert, so the event is stored already claimed by this process.
    const inline = inlineProcessing < INLINE_PROCESSING_MAX;
    if (inline) inlineProcessing++;
    let received;
    try {
      received = await receivePspWebhook(raw, request.headers.get("stripe-signature"), { claim: inline });
    } catch (error) {
      if (inline) inlineProcessing--;
      throw error;
    }
    // Answer now; process in the background (the worker takes anything this does not finish, once the
    // claim's lease runs out).
    const claimed = received.claimed;
    if (claimed) {
      void processClaimedPspEvent(claimed)
        .catch((error) => logger.warn({ err: error, eventId: claimed.id }, "inline PSP event processing failed"))
        .finally(() => inlineProcessing--);
    } else if (inline) inlineProcessing--;
    return new Response(JSON.stringify({ received: true, duplicate: received.duplicate }), { status: 200, headers });
  } catch (error) {
    const appError = error instanceof AppError ? error : new AppError("internal_error", "Webhook intake failed.");
    if (!(error instanceof AppError)) logger.error({ err: error, requestId }, "webhook intake failed");
    return new Response(JSON.stringify(errorBody(appError, requestId)), { status: appError.status, headers });
  }
}
