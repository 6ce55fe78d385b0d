// Webhook intake: POST /api/webhooks/stripe with events signed the Stripe way (t=…,v1=HMAC-SHA256 of
// "t.body" with the sandbox's whsec secret), a unique event id each. The type is one the platform stores
// and acknowledges without a PSP re-read (customer.created), so this measures intake, not processing.
import { createHmac } from "node:crypto";
import { uniqueKey } from "./api";
import { runLoad, type LoadResult } from "./lib/load";
import type { Stack } from "./lib/stack";

export const SANDBOX_WEBHOOK_SECRET = "whsec_settle_sandbox_secret";

export function signedEvent(secret = SANDBOX_WEBHOOK_SECRET): { body: string; signature: string } {
  const id = uniqueKey("evt");
  const created = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    id,
    object: "event",
    api_version: "2025-09-30.clover",
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "customer.created",
    data: { object: { id: `cus_${id}`, object: "customer", created, email: null, metadata: {} } },
  });
  const signature = createHmac("sha256", secret).update(`${created}.${body}`, "utf8").digest("hex");
  return { body, signature: `t=${created},v1=${signature}` };
}

export async function benchWebhookIntake(stack: Stack, options: { connections: number; durationS: number }): Promise<LoadResult> {
  const secret = stack.env.STRIPE_WEBHOOK_SECRET ?? SANDBOX_WEBHOOK_SECRET;
  return runLoad({
    name: "webhook intake (POST /api/webhooks/stripe)",
    url: `${stack.appUrl}/api/webhooks/stripe`,
    method: "POST",
    headers: { "content-type": "application/json" },
    makeRequest: () => {
      const event = signedEvent(secret);
      return { body: event.body, headers: { "stripe-signature": event.signature } };
    },
    connections: options.connections,
    durationS: options.durationS,
    rssPid: stack.pidOf("app"),
  });
}
