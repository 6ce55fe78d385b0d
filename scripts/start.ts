// npm start — the whole system with nothing configured: PostgreSQL (DATABASE_URL or embedded), migrations,
// demo data, the PSP sandbox (unless STRIPE_SECRET_KEY is set), the web app and the background worker.
// Ctrl-C stops everything, in order: the web app and the worker drain (finish in-flight requests and jobs),
// then the PSP sandbox, then PostgreSQL. Children and the postmaster run in process groups of their own so
// the terminal's Ctrl-C reaches only this process; they stop themselves if this process dies (SIGKILL).
// The next start reuses .data/ (and a PostgreSQL still running on the port).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { dataDir, openDatabase } from "./lib/database";
import { buildIfStale } from "./lib/next-build";
import { ensurePrismaClient } from "./lib/prepare";
import { loadOrCreateSecrets } from "./lib/secrets";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const started = Date.now();
const say = (line: string) => console.log(`[settle] ${line}`);

if (existsSync(path.join(root, ".env"))) process.loadEnvFile(path.join(root, ".env"));

const secrets = loadOrCreateSecrets(dataDir);
for (const [name, value] of Object.entries(secrets)) process.env[name] ??= value;
const port = Number(process.env.PORT ?? 3000);
process.env.PORT = String(port);
process.env.APP_URL ??= `http://localhost:${port}`;
process.env.NEXTAUTH_URL ??= process.env.APP_URL;
process.env.NEXTAUTH_SECRET ??= process.env.AUTH_SECRET;
process.env.NEXT_TELEMETRY_DISABLED = "1";
const useSandbox = !process.env.STRIPE_SECRET_KEY;
const pspPort = Number(process.env.PSP_SANDBOX_PORT ?? 12111);
if (useSandbox) process.env.PSP_SANDBOX_URL ??= `http://127.0.0.1:${pspPort}`;
process.env.PSP_SANDBOX_DATA_DIR ??= path.join(dataDir, "psp");
process.env.PSP_WEBHOOK_URL ??= `http://127.0.0.1:${port}/api/webhooks/stripe`;

const children: ChildProcess[] = [];
let pspSandbox: ChildProcess | undefined;
let stopping = false;

say("starting PostgreSQL…");
const database = await openDatabase();
// From here on a Ctrl-C (or SIGTERM/SIGHUP) stops what has been started, the database last.
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
process.on("SIGHUP", () => void stop(0));
// Any other way out (an uncaught error here) still stops an embedded PostgreSQL this process started.
process.on("exit", () => database.stopSync());
process.env.DATABASE_URL = database.url;
say(`database ready (${database.local ? "embedded, data in .data/postgres" : "DATABASE_URL"})`);

ensurePrismaClient(root);
const { getEnv } = await import("../lib/env");
getEnv(); // stop here, naming the variable, if the configuration is wrong
const { applyMigrations } = await import("../lib/db/schema-engine");
const applied = await applyMigrations(database.url);
say(applied.length ? `applied ${applied.length} migration(s)` : "migrations up to date");
await import("../lib/jobs/all-seeders");
const { seedDemo, DEMO_USERS } = await import("../lib/tenancy/seed-demo");
const seeded = await seedDemo();
say(seeded.created ? "demo data created" : "demo data already present");
const { closeDb } = await import("../lib/db/client");
await closeDb();

/** A child that exits on its own (a crash, a database blip) is restarted; one that keeps exiting stops the stack. */
const RESTARTS_PER_MINUTE_MAX = 5;
const restarts = new Map<string, number[]>();
const names = new Map<ChildProcess, string>();
const exitWithParent = pathToFileURL(path.join(root, "scripts/lib/exit-with-parent.mjs")).href;
function run(name: string, args: string[], onSpawn?: (child: ChildProcess) => void): ChildProcess {
  const child = spawn(process.execPath, ["--import", exitWithParent, ...args], { cwd: root, env: process.env, stdio: ["ignore", "inherit", "inherit"], detached: true });
  onSpawn?.(child);
  names.set(child, name);
  child.on("exit", (code, signal) => {
    if (stopping) return;
    const index = children.indexOf(child);
    if (index >= 0) children.splice(index, 1);
    const now = Date.now();
    const recent = (restarts.get(name) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= RESTARTS_PER_MINUTE_MAX) {
      say(`${name} exited (${signal ?? code}) ${recent.length + 1} times within a minute; stopping everything`);
      void stop(1);
      return;
    }
    restarts.set(name, [...recent, now]);
    say(`${name} exited (${signal ?? code}); restarting it`);
    setTimeout(() => {
      if (!stopping) run(name, args, onSpawn);
    }, 1_000);
  });
  children.push(child);
  return child;
}
// tsx as a loader inside the child (not the tsx CLI, whose wrapper process SIGKILLs its child when the child
// does not acknowledge a relayed SIGTERM within 30 ms, which cut the worker's drain short on a loaded machine).
const tsx = ["--import", "tsx"];
const next = path.join(root, "node_modules/next/dist/bin/next");
/** `next start`'s request handling in a server that drains on SIGTERM (scripts/lib/web-server.mjs). */
const webServer = path.join(root, "scripts/lib/web-server.mjs");

try {
  if (useSandbox) run("PSP sandbox", [...tsx, "scripts/psp-sandbox.ts"], (child) => (pspSandbox = child));
  if (!dev) process.env.NEXT_DIST_DIR = await buildIfStale(root, process.env, say);
  run("web app", dev ? [next, "dev", "-p", String(port), "-H", "127.0.0.1"] : [webServer, "-p", String(port), "-H", "127.0.0.1"]);
  run("worker", [...tsx, "scripts/worker.ts"]);
  await waitForHttp(`http://127.0.0.1:${port}/api/health`, 120_000);
} catch (error) {
  say(`start-up failed: ${(error as Error).message}`);
  await stop(1);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`
  Settle is running (${seconds}s): ${process.env.APP_URL}
  PSP: ${useSandbox ? `sandbox at ${process.env.PSP_SANDBOX_URL}` : "Stripe (STRIPE_SECRET_KEY)"}

  Demo sign-ins:
${DEMO_USERS.map((user) => `    ${user.role.padEnd(7)} ${user.email.padEnd(26)} ${user.password}`).join("\n")}

  Ctrl-C stops everything.
`);

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  // Two phases: the web app and the worker finish what they are doing first (they may still call the
  // PSP sandbox and the database while they do), then the sandbox; the database goes last.
  const stopChild = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const since = Date.now();
      // The web app drains for up to 25 s (+ up to 3 s closing its pools), the worker lets running jobs
      // finish for up to 20 s (scripts/lib/web-server.mjs, scripts/worker.ts).
      const force = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.once("exit", (exitCode, signal) => {
        clearTimeout(force);
        say(`${names.get(child)} stopped (${signal ?? exitCode}) after ${((Date.now() - since) / 1000).toFixed(1)}s`);
        resolve();
      });
      child.kill("SIGTERM");
    });
  const sandbox = pspSandbox;
  await Promise.all(children.filter((child) => child !== sandbox).map(stopChild));
  if (sandbox) await stopChild(sandbox);
  const databaseSince = Date.now();
  await database.stop();
  say(`stopped${database.local ? ` (PostgreSQL in ${((Date.now() - databaseSince) / 1000).toFixed(1)}s)` : ""}`);
  process.exit(code);
}
