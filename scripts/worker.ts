// Background worker: runs every registered job from a durable PostgreSQL queue (pg-boss).
// Stops taking jobs on SIGTERM/SIGINT and lets running ones finish.
import PgBoss from "pg-boss";
import { closeDb } from "../lib/db/client";
import { getEnv } from "../lib/env";
import { listJobs } from "../lib/jobs/job-registry";
import { startPollingLoop } from "../lib/jobs/polling-loop";
import { startBalanceCheckLoop } from "../lib/ledger/run-balance-check";
import { logger } from "../lib/log/logger";
import { processPspEvents } from "../lib/webhooks/psp/process-psp-events";
import "../lib/jobs/all-jobs";

const env = getEnv();
const boss = new PgBoss({ connectionString: env.DATABASE_URL, max: 5, schema: "pgboss" });
boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
// During a database outage pg-boss can reject promises nobody awaits (e.g. marking a job failed). The
// queue is durable and pg-boss reconnects, so log and keep running rather than take the stack down.
process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection in worker (continuing)"));
await boss.start();

for (const job of listJobs()) {
  await boss.createQueue(job.name, { name: job.name, retryLimit: job.retryLimit ?? 5, retryBackoff: true, retryDelay: 5 });
  await boss.work(job.name, { batchSize: 1 }, async ([message]) => {
    const started = performance.now();
    const result = await job.handler(message?.data);
    logger.info({ job: job.name, latencyMs: Math.round(performance.now() - started), result }, "job done");
  });
  if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
}
// The ledger's balances are re-derived from entries continuously (incrementally, by entry sequence);
// a disagreement raises an alert that /api/ready and the dashboard show.
const balanceCheck = startBalanceCheckLoop({ intervalMs: 5_000 });
// Stored PSP events (intake only stores them; also those deferred behind an in-flight create, or failed
// and due again) are processed here within half a second; the psp.process-events job is the safety net
// (both claim with FOR UPDATE SKIP LOCKED, so they never take the same event).
const pspEvents = startPollingLoop(
  { idleMs: 500, onError: (error) => logger.error({ err: error }, "PSP event processing pass failed") },
  () => processPspEvents({ maxEvents: 200 }),
);
logger.info({ jobs: listJobs().map((job) => job.name) }, "worker started");

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  await Promise.all([boss.stop({ graceful: true, timeout: 20_000 }), balanceCheck.stop(), pspEvents.stop()]);
  await closeDb();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
