// npm test — every test: type check, unit + integration (vitest, real PostgreSQL, real PSP sandbox over
// HTTP) and end-to-end (Playwright in Chromium against a full `npm start` stack on test ports).
// Ends with one line: "N passed, N failed, N skipped".
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { freePort } from "./lib/free-port";
import { ensurePrismaClient } from "./lib/prepare";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv[2]; // optional: "unit" or "e2e"
const resultsDir = path.join(root, "test-results");
mkdirSync(resultsDir, { recursive: true });
const tally = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();
const say = (line: string) => console.log(`\n[test] ${line}`);

function bin(pkg: string, file: string): string {
  return path.join(root, "node_modules", pkg, file);
}

ensurePrismaClient(root);

// 1. Type check of the whole repository, tests included.
if (!only) {
  say("type check (tsc --noEmit)");
  const tsc = spawnSync(process.execPath, [bin("typescript", "bin/tsc"), "--noEmit", "-p", "."], { cwd: root, stdio: "inherit" });
  if (tsc.status === 0) tally.passed++;
  else tally.failed++;
}

// 2. Unit and integration tests.
if (!only || only === "unit") {
  say("unit and integration tests (vitest)");
  const output = path.join(resultsDir, `vitest-${process.pid}.json`);
  rmSync(output, { force: true });
  spawnSync(process.execPath, [bin("vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${output}`], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "test" },
  });
  if (existsSync(output)) {
    const report = JSON.parse(readFileSync(output, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number; testResults: { status: string; assertionResults: unknown[] }[] };
    tally.passed += report.numPassedTests;
    tally.failed += report.numFailedTests;
    tally.skipped += report.numPendingTests + report.numTodoTests;
    // A file that failed to load has no test results of its own: count it as a failure.
    tally.failed += report.testResults.filter((file) => file.status === "failed" && file.assertionResults.length === 0).length;
  } else {
    tally.failed++;
  }
}

// 3. End-to-end tests against a full stack.
if (!only || only === "e2e") {
  say("end-to-end tests (Playwright + Chromium) against a fresh stack");
  // Ports of this run's own, so several runs (or a running `npm start`) don't collide.
  const port = Number(process.env.E2E_PORT ?? (await freePort()));
  const dataDir = path.join(root, `.data/e2e-${port}`);
  rmSync(dataDir, { recursive: true, force: true });
  const stackEnv = {
    ...process.env,
    SETTLE_DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? String(await freePort()),
    PORT: String(port),
    PSP_SANDBOX_PORT: process.env.E2E_PSP_PORT ?? String(await freePort()),
    APP_URL: `http://localhost:${port}`,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
  } as NodeJS.ProcessEnv;
  delete stackEnv.DATABASE_URL;
  delete stackEnv.STRIPE_SECRET_KEY;
  // Its own process group, so the whole stack (app, worker, PSP sandbox, PostgreSQL) can be stopped
  // together and nothing outlives the run to print after the closing line.
  const stack = spawn(process.execPath, [bin("tsx", "dist/cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    env: stackEnv,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const stackExited = new Promise<number | null>((resolve) => stack.on("exit", (code) => resolve(code)));
  try {
    const up = await waitUntilReady(`http://127.0.0.1:${port}/api/ready`, 300_000, stackExited);
    if (!up) {
      say("the stack did not start: counting the e2e suite as failed");
      tally.failed++;
    } else {
      const output = path.join(resultsDir, `playwright-${port}.json`);
      rmSync(output, { force: true });
      spawnSync(process.execPath, [bin("@playwright/test", "cli.js"), "test", "--reporter=list,json"], {
        cwd: root,
        stdio: "inherit",
        env: {
          ...process.env,
          E2E_BASE_URL: `http://localhost:${port}`,
          E2E_OUTPUT_DIR: path.join(resultsDir, `e2e-${port}`),
          PLAYWRIGHT_JSON_OUTPUT_NAME: output,
          PSP_SANDBOX_URL: `http://127.0.0.1:${stackEnv.PSP_SANDBOX_PORT}`,
        },
      });
      if (existsSync(output)) {
        const report = JSON.parse(readFileSync(output, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
        tally.passed += report.stats.expected + report.stats.flaky;
        tally.failed += report.stats.unexpected;
        tally.skipped += report.stats.skipped;
      } else {
        tally.failed++;
      }
    }
  } finally {
    // start.ts stops its children in order (app and worker first, then the database); give it time,
    // then make sure no process of the group is left.
    signalGroup(stack.pid!, "SIGTERM", stack);
    const timer = setTimeout(() => signalGroup(stack.pid!, "SIGKILL", stack), 40_000);
    await stackExited;
    clearTimeout(timer);
    await new Promise((resolve) => setTimeout(resolve, 500));
    signalGroup(stack.pid!, "SIGKILL", stack);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals, leader: { kill(signal: NodeJS.Signals): boolean }): void {
  try {
    // SIGTERM to the leader only (it shuts its children down in order); SIGKILL to the whole group.
    if (signal === "SIGTERM") leader.kill(signal);
    else process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function waitUntilReady(url: string, timeoutMs: number, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

say(`finished in ${Math.round((Date.now() - started) / 1000)}s`);
console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(tally.failed > 0 ? 1 : 0);
