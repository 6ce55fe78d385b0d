// PSP sandbox throughput: PaymentIntent create+confirm (the call the payments API makes), straight to the sandbox.
import { PSP_HEADERS, pspCreateBody, uniqueKey } from "./api";
import { runLoad, type LoadResult } from "./lib/load";
import type { Stack } from "./lib/stack";

export async function benchPspSandbox(stack: Stack, options: { connections: number; durationS: number }): Promise<LoadResult> {
  return runLoad({
    name: "PSP sandbox (POST /v1/payment_intents, confirm=true)",
    url: `${stack.pspUrl}/v1/payment_intents`,
    method: "POST",
    headers: PSP_HEADERS,
    makeRequest: () => ({ headers: { "idempotency-key": uniqueKey("psp") }, body: pspCreateBody() }),
    connections: options.connections,
    durationS: options.durationS,
    rssPid: stack.pidOf("psp"),
  });
}
