// Shared helpers for the sandbox's integration tests: an in-process sandbox, SDK clients and a webhook receiver.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import { createStripeClient } from "../stripe-client.ts";
import { SandboxControl } from "./control.ts";
import { startPspSandbox, type PspSandbox, type PspSandboxOptions } from "./server.ts";

export const WEBHOOK_SECRET = "whsec_test_sandbox_secret";

export interface ReceivedWebhook {
  body: string;
  signature: string;
  event: Stripe.Event;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Respond with this status to the next `n` deliveries (then 200 again). */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(stripe: Stripe, secret = WEBHOOK_SECRET): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  let failureStatus = 500;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const signature = String(req.headers["stripe-signature"] ?? "");
      if (failures > 0) {
        failures--;
        res.writeHead(failureStatus).end("nope");
        return;
      }
      try {
        const event = stripe.webhooks.constructEvent(body, signature, secret);
        received.push({ body, signature, event });
        res.writeHead(200, { "Content-Type": "application/json" }).end('{"received":true}');
      } catch (error) {
        res.writeHead(400).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    failNext(n, status = 500) {
      failures = n;
      failureStatus = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Harness {
  sandbox: PspSandbox;
  stripe: Stripe;
  publishable: Stripe;
  control: SandboxControl;
  close(): Promise<void>;
}

export async function startHarness(options: PspSandboxOptions = {}, clientOptions: { maxNetworkRetries?: number } = {}): Promise<Harness> {
  const sandbox = await startPspSandbox({ port: 0, ...options });
  const stripe = createStripeClient({ secretKey: "sk_test_settle", sandboxUrl: sandbox.url, maxNetworkRetries: clientOptions.maxNetworkRetries ?? 2, timeoutMs: 10_000 });
  const publishable = createStripeClient({ secretKey: "pk_test_settle", sandboxUrl: sandbox.url, maxNetworkRetries: 0 });
  return { sandbox, stripe, publishable, control: new SandboxControl(sandbox.url), close: () => sandbox.close() };
}

/** Server-side card confirmation the way Settle does it: explicit card-only types, no redirects. */
export function cardIntent(stripe: Stripe, paymentMethod: string, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  return stripe.paymentIntents.create({
    amount: 2000,
    currency: "usd",
    confirm: true,
    payment_method: paymentMethod,
    allowed_payment_method_types: ["card"],
    capture_method: "automatic",
    ...extra,
  });
}

export async function expectStripeError(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    return error as Stripe.errors.StripeError;
  }
  throw new Error("expected the Stripe call to fail");
}
