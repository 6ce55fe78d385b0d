// Draining: the web server (scripts/lib/web-server.mjs) marks the process as draining when it receives
// SIGTERM/SIGINT, and readiness then answers 503 so load balancers stop sending traffic while in-flight
// requests finish. A process-wide flag on globalThis under a registered symbol, because the server script
// (plain JavaScript, outside the build) and the route bundles cannot share a module instance.
const KEY = Symbol.for("settle.draining");
const store = globalThis as unknown as { [KEY]?: { since: number } };

/** The moment draining started (epoch ms), or null while serving normally. */
export function drainingSince(): number | null {
  return store[KEY]?.since ?? null;
}
