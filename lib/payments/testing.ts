// Test harness for the payment lifecycle: an in-process PSP sandbox the gateway points at, an optional
// webhook bridge (sandbox → real HTTP → our route handler, real signatures), API helpers and ledger checks.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { getEnv } from "@/lib/env";
import { findBalanceDisagreements, findUnbalancedTransactions } from "@/lib/ledger/testing";
import { configurePspGateway } from "@/lib/psp/psp-gateway";
import { SandboxControl } from "@/lib/psp/sandbox/control";
import { startPspSandbox, type PspSandbox, type PspSandboxOptions } from "@/lib/psp/sandbox/server";
import { apiRequest, makeMerchant, routeParams } from "@/tests/fixtures";

export type RouteHandler = (request: Request, context?: { params?: Promise<Record<string, string>> }) => Promise<Response>;

export type PaymentsHarness = {
  sandbox: PspSandbox;
  control: SandboxControl;
  /** Set when started with webhooks: the URL the sandbox delivers to. */
  webhookUrl?: string;
  close(): Promise<void>;
};

/** Forwards HTTP requests to a Next.js route handler (so the sandbox can deliver real, signed webhooks). */
async function startBridge(handler: RouteHandler): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      try {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
        const response = await handler(new Request(`http://localhost:3000${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
        res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/stripe`,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

export async function startPaymentsHarness(
  options: { webhookRoute?: RouteHandler; sandbox?: PspSandboxOptions; maxNetworkRetries?: number; timeoutMs?: number } = {},
): Promise<PaymentsHarness> {
  const bridge = options.webhookRoute ? await startBridge(options.webhookRoute) : null;
  const sandbox = await startPspSandbox({
    port: 0,
    ...options.sandbox,
    webhookTargets: bridge ? [{ url: bridge.url, secret: getEnv().STRIPE_WEBHOOK_SECRET }] : [],
  });
  configurePspGateway({ sandboxUrl: sandbox.url, maxNetworkRetries: options.maxNetworkRetries, timeoutMs: options.timeoutMs });
  return {
    sandbox,
    control: new SandboxControl(sandbox.url),
    webhookUrl: bridge?.url,
    async close() {
      configurePspGateway(null);
      await sandbox.close();
      await bridge?.close();
    },
  };
}

export { makeMerchant };

let keyCounter = 0;
export function newKey(label = "k"): string {
  return `${label}-${Date.now()}-${++keyCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Calls a route handler with a JSON body (POST) or none (GET) and returns status and parsed body. */
export async function call(
  handler: RouteHandler,
  path: string,
  options: { secret: string; body?: unknown; idempotencyKey?: string; params?: Record<string, string>; method?: string },
): Promise<{ status: number; body: any; headers: Headers }> {
  const request = apiRequest(path, {
    secret: options.secret,
    body: options.body,
    method: options.method ?? (options.body !== undefined ? "POST" : "GET"),
    idempotencyKey: options.idempotencyKey ?? (options.body !== undefined ? newKey() : undefined),
  });
  const response = await handler(request, routeParams(options.params ?? {}));
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** After each file: every ledger transaction balanced and every cached balance equal to its entries. */
export async function expectLedgerConsistent(): Promise<void> {
  expect(await findUnbalancedTransactions()).toEqual([]);
  expect(await findBalanceDisagreements()).toEqual([]);
}

/** The merchant's chart balances in one currency, by chart code (normal-side balances). */
export async function chartBalances(merchantId: string, currency: string): Promise<Record<string, bigint>> {
  const { sqlPool } = await import("@/lib/db/client");
  const { rows } = await sqlPool().query<{ code: string; balance_minor: bigint }>(
    "select code, balance_minor from ledger_accounts where merchant_id = $1 and currency = $2 and code is not null",
    [merchantId, currency],
  );
  return Object.fromEntries(rows.map((row) => [row.code, BigInt(row.balance_minor)]));
}
