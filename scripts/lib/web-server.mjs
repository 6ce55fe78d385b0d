// The production web server: serves the `next build` output exactly like `next start` (Next's own request
// handler from `next()`, the build in NEXT_DIST_DIR, -p/-H like next start), but in an http.Server we
// hold, so that SIGTERM/SIGINT drain instead of `next start`'s unbounded close + exit(143):
//   1. the process is marked draining: /api/ready answers 503 (lib/ops/drain.ts);
//   2. after SHUTDOWN_DELAY_MS (default 0; give a load balancer time to notice) the listener closes —
//      new connections are refused — idle keep-alive connections are closed, and every response from
//      then on carries `Connection: close`;
//   3. in-flight requests finish, for at most SHUTDOWN_DRAIN_TIMEOUT_MS (default 25 s);
//   4. Next and the database pools are closed, and the process exits 0 (1 if requests had to be cut).
// Plain JavaScript (run by node, not tsx) so that Next's own module loading is untouched.
import http from "node:http";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const argValue = (names, fallback) => {
  const index = process.argv.findIndex((arg) => names.includes(arg));
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
};
const port = Number(argValue(["-p", "--port"], process.env.PORT ?? "3000"));
const hostname = argValue(["-H", "--hostname"], "0.0.0.0");
const drainTimeoutMs = Number(process.env.SHUTDOWN_DRAIN_TIMEOUT_MS ?? 25_000);
const shutdownDelayMs = Number(process.env.SHUTDOWN_DELAY_MS ?? 0);
const log = (level, msg, fields = {}) => console.log(JSON.stringify({ level, time: Date.now(), pid: process.pid, name: "web-server", msg, ...fields }));

// `next start` forces production; so do we (NODE_ENV=test from a test runner must not leak in), before
// Next (and through it React) is loaded, as modules pick their build by NODE_ENV when first loaded.
process.env.NODE_ENV = "production";
process.title = "next-server (settle web-server)";
const { default: next } = await import("next");

const app = next({ dev: false, dir: root, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const inFlight = new Set();
let draining = false;
const idleWaiters = [];
const server = http.createServer((req, res) => {
  inFlight.add(res);
  if (draining) res.shouldKeepAlive = false;
  res.once("close", () => {
    inFlight.delete(res);
    if (inFlight.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  });
  handle(req, res).catch((error) => {
    log(50, "request handler failed", { url: req.url, err: String(error?.stack ?? error) });
    if (!res.headersSent) {
      res.statusCode = 500;
      res.end("Internal Server Error");
    } else res.destroy();
  });
});
server.on("error", (error) => {
  log(60, "web server failed", { err: String(error) });
  process.exit(1);
});
await new Promise((resolve) => server.listen(port, hostname, resolve));
log(30, "web server listening", { url: `http://${hostname}:${port}`, distDir: process.env.NEXT_DIST_DIR ?? ".next", drainTimeoutMs });

// Warm-up: a fresh server's first page render (React server runtime, route modules) costs about a second;
// pay it here, in the background, instead of in the first user's request. Only a page that needs no database:
// a warm-up query would compete with real requests for pool connections while the database is slow.
void (async () => {
  for (const route of ["/sign-in"]) {
    try {
      const response = await fetch(`http://${hostname === "0.0.0.0" ? "127.0.0.1" : hostname}:${port}${route}`, { signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
    } catch {
      // warm-up only: the real requests report their own errors
    }
  }
})();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function drain(signal) {
  if (draining) return;
  draining = true;
  const started = Date.now();
  globalThis[Symbol.for("settle.draining")] ??= { since: started };
  log(30, "web server draining", { signal, inFlight: inFlight.size, shutdownDelayMs, drainTimeoutMs });
  if (shutdownDelayMs > 0) await sleep(shutdownDelayMs);
  server.close();
  server.closeIdleConnections();
  // Responses still to be written end their keep-alive connection.
  for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
  const idle = inFlight.size === 0 ? Promise.resolve(true) : new Promise((resolve) => idleWaiters.push(() => resolve(true)));
  // Keep-alive connections that just finished a request are idle now: close them as they become idle.
  const sweep = setInterval(() => server.closeIdleConnections(), 250);
  const drained = await Promise.race([idle, sleep(Math.max(0, drainTimeoutMs - (Date.now() - started))).then(() => false)]);
  clearInterval(sweep);
  const cut = inFlight.size;
  if (!drained) server.closeAllConnections();
  await Promise.race([
    Promise.allSettled([
      app.close(),
      // The app's Prisma client and raw pool (lib/db/client.ts keeps them on globalThis).
      (async () => {
        const handles = globalThis.__settleDb;
        globalThis.__settleDb = undefined;
        if (handles) await Promise.allSettled([handles.prisma.$disconnect(), handles.pool.end()]);
      })(),
    ]),
    sleep(3_000),
  ]);
  log(drained ? 30 : 40, drained ? "web server drained" : "web server drain timed out; in-flight requests cut", { signal, ms: Date.now() - started, cut });
  process.exit(drained ? 0 : 1);
}
process.on("SIGTERM", () => void drain("SIGTERM"));
process.on("SIGINT", () => void drain("SIGINT"));
