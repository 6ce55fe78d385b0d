// A tiny HTTP receiver on 127.0.0.1:<free port> for tests: records every request and answers with the
// queued status codes (then the default), so delivery, retries and signatures are checked over real HTTP.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string; receivedAt: Date };

export type WebhookReceiver = {
  url: string;
  requests: ReceivedRequest[];
  /** Status codes for the next requests, in order; afterwards `defaultStatus`. */
  respondWith: (...statuses: number[]) => void;
  setDefaultStatus: (status: number) => void;
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitFor: (count: number, timeoutMs?: number) => Promise<ReceivedRequest[]>;
  close: () => Promise<void>;
};

export async function startWebhookReceiver(options: { defaultStatus?: number; path?: string } = {}): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const queue: number[] = [];
  let defaultStatus = options.defaultStatus ?? 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), receivedAt: new Date() });
      const status = queue.shift() ?? defaultStatus;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify({ received: true, status }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.path ?? "/webhooks"}`,
    requests,
    respondWith: (...statuses) => queue.push(...statuses),
    setDefaultStatus: (status) => {
      defaultStatus = status;
    },
    waitFor: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests, got ${requests.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
