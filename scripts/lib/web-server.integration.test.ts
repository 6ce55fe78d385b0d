// Graceful drain of the production web server (scripts/lib/web-server.mjs): a request in flight when
// SIGTERM arrives completes with 200, readiness answers 503 while draining, new connections are refused
// once the listener closes, and the process exits 0 within the drain bound. The slow request is a real
// one: /api/ready waiting on PostgreSQL behind a TCP proxy that adds latency (as in a network blip).
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "../../bench/lib/tcp-proxy";
import { freePort } from "./free-port";
import { buildIfStale } from "./next-build";

const root = path.resolve(import.meta.dirname, "../..");
const DRAIN_TIMEOUT_MS = 12_000;
const SHUTDOWN_DELAY_MS = 1_500;
const DB_LATENCY_MS = 2_500;

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };
function get(port: number, urlPath: string, timeoutMs = 30_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: urlPath, agent: new http.Agent({ keepAlive: true }), timeout: timeoutMs }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`timeout: ${urlPath}`)));
    request.on("error", reject);
  });
}

let proxy: TcpProxy;
let baseEnv: NodeJS.ProcessEnv;
const started: ChildProcess[] = [];

type Server = { child: ChildProcess; port: number; output: () => string };
async function startServer(extraEnv: Record<string, string>): Promise<Server> {
  const database = new URL(process.env.DATABASE_URL!);
  database.port = String(proxy.port);
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, [path.join(root, "scripts/lib/web-server.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...baseEnv, DATABASE_URL: database.toString(), APP_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: "warn", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await get(port, "/api/health", 2_000).catch(() => null);
    if (answer?.status === 200) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`web server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  // Readiness checks that every migration folder is applied; other work may have added one since the
  // template database was made (or during the build).
  const { applyMigrations } = await import("../../lib/db/schema-engine");
  await applyMigrations(process.env.DATABASE_URL!);
  // Warm: the route is loaded and the pool is connected; ready with no latency.
  proxy.setLatency(0);
  const warm = await get(port, "/api/ready");
  expect(warm.status, warm.body).toBe(200);
  return { child, port, output: () => output };
}

beforeAll(async () => {
  baseEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  baseEnv.NEXT_DIST_DIR = await buildIfStale(root, baseEnv, (line) => console.log(`[web-server test] ${line}`));
  proxy = await startTcpProxy({ targetPort: Number(new URL(process.env.DATABASE_URL!).port) });
}, 15 * 60_000);

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await proxy?.close();
});

describe("web server drain on SIGTERM", () => {
  it("finishes the in-flight request, answers not-ready, refuses new connections, exits 0 within the bound", async () => {
    const { child: server, port, output: outputOf } = await startServer({
      SHUTDOWN_DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
    });
    proxy.setLatency(DB_LATENCY_MS);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => server.once("exit", (code) => resolve({ code, at: Date.now() })));
    const slowStarted = Date.now();
    const slow = get(port, "/api/ready").then((answer) => ({ ...answer, at: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sigtermAt = Date.now();
    server.kill("SIGTERM");

    // Draining, listener still open (SHUTDOWN_DELAY_MS): readiness answers 503 at once, without the database.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const notReady = await get(port, "/api/ready", 5_000);
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body).checks.draining.ok).toBe(false);

    // After the delay the listener is closed: new connections are refused while the slow request runs.
    await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_DELAY_MS + 700 - (Date.now() - sigtermAt)));
    const refusedAt = Date.now();
    const stillRunning = server.exitCode === null && server.signalCode === null;
    const refused = await get(port, "/api/health", 2_000).then(
      (answer) => `answered ${answer.status}`,
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe("ECONNREFUSED");
    expect(stillRunning, "the server must still be draining when the new connection is refused").toBe(true);

    const answer = await slow;
    proxy.setLatency(0);
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body).ready).toBe(true);
    expect(answer.headers.connection).toBe("close");
    // The request really was in flight across the shutdown.
    expect(answer.at).toBeGreaterThan(refusedAt);

    const exit = await exited;
    expect(exit.code, outputOf()).toBe(0);
    expect(exit.at - sigtermAt).toBeLessThan(DRAIN_TIMEOUT_MS + 4_000);
    console.log(
      `[web-server test] slow request ${answer.at - slowStarted} ms (SIGTERM after 500 ms), exit ${exit.at - sigtermAt} ms after SIGTERM, ` +
        `${exit.at - answer.at} ms after the last response`,
    );
    expect(outputOf()).toContain("web server drained");
  }, 180_000);

  it("cuts requests still running at the drain bound and exits 1 at the bound", async () => {
    const bound = 3_000;
    const { child: server, port, output: outputOf } = await startServer({ SHUTDOWN_DRAIN_TIMEOUT_MS: String(bound), SHUTDOWN_DELAY_MS: "0" });
    proxy.setLatency(20_000);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => server.once("exit", (code) => resolve({ code, at: Date.now() })));
    const stuck = get(port, "/api/ready").then(
      (answer) => `answered ${answer.status}`,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sigtermAt = Date.now();
    server.kill("SIGTERM");
    const exit = await exited;
    proxy.setLatency(0);
    expect(exit.code, outputOf()).toBe(1);
    expect(exit.at - sigtermAt).toBeGreaterThanOrEqual(bound - 100);
    expect(exit.at - sigtermAt).toBeLessThan(bound + 5_000);
    expect(await stuck).toBe("ECONNRESET");
    expect(outputOf()).toContain("drain timed out");
    console.log(`[web-server test] stuck request cut; exit 1 ${exit.at - sigtermAt} ms after SIGTERM (bound ${bound} ms)`);
  }, 180_000);
});
