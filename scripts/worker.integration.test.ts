// Worker: its PSP event loop takes a stored event at once; on SIGTERM it stops taking pg-boss jobs, lets the
// running one finish and exits 0. The running job is a real one (idempotency.purge-expired) held up by a table lock the test
// owns, so it is provably in flight when the signal arrives.
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import PgBoss from "pg-boss";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const JOB = "idempotency.purge-expired";

async function jobState(client: pg.Client, id: string): Promise<string | undefined> {
  const { rows } = await client.query<{ state: string }>("select state from pgboss.job where id = $1", [id]);
  return rows[0]?.state;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => {});
});

describe("worker drain on SIGTERM", () => {
  it("finishes the running job, takes no new one, exits 0", async () => {
    let output = "";
    // As npm start runs it: tsx as a loader in the worker's own process (the tsx CLI's wrapper process
    // SIGKILLs its child when the child does not acknowledge a relayed signal within 30 ms).
    const worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cleanup.push(() => worker.exitCode === null && worker.kill("SIGKILL"));
    worker.stdout!.on("data", (chunk) => (output += chunk));
    worker.stderr!.on("data", (chunk) => (output += chunk));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => worker.once("exit", (code) => resolve({ code, at: Date.now() })));
    await until("the worker to start", async () => output.includes("worker started") || worker.exitCode !== null, 120_000);
    expect(worker.exitCode, output).toBeNull();

    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    cleanup.push(() => client.end());
    // While running, the worker's own loop takes a stored PSP event within a second or two (the
    // psp.process-events cron job alone would leave it for up to a minute).
    const eventId = `evt_worker_${Date.now().toString(36)}`;
    await client.query(
      `insert into psp_events (id, type, object_id, payload, psp_created_at) values ($1, 'sandbox.worker_thing', null, $2::jsonb, now())`,
      [eventId, JSON.stringify({ id: eventId, object: "event", type: "sandbox.worker_thing", data: { object: {} } })],
    );
    const storedAt = Date.now();
    await until("the worker loop to process the stored PSP event", async () => {
      const { rows } = await client.query<{ status: string }>("select status from psp_events where id = $1", [eventId]);
      return rows[0]?.status === "ignored";
    }, 3_000);
    console.log(`[worker test] stored PSP event processed ${Date.now() - storedAt} ms after it was stored`);

    const boss = new PgBoss({ connectionString: process.env.DATABASE_URL, max: 2, schema: "pgboss", supervise: false, schedule: false });
    await boss.start();
    cleanup.push(() => boss.stop({ graceful: false }));

    // Hold the job up: it deletes from idempotency_keys, which the test locks.
    await client.query("begin");
    await client.query("lock table idempotency_keys in access exclusive mode");
    const running = (await boss.send(JOB, {}))!;
    await until("the job to be picked up", async () => (await jobState(client, running)) === "active", 30_000);

    const sigtermAt = Date.now();
    worker.kill("SIGTERM");
    await until("the worker to log that it is stopping", async () => output.includes("worker stopping"), 10_000).catch((error) => {
      throw new Error(`${error.message}:\n${output.slice(-3000)}`);
    });
    const queued = (await boss.send(JOB, {}))!;
    // Longer than pg-boss's polling interval (2 s): a worker still fetching would take the new job.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await jobState(client, running)).toBe("active");
    expect(worker.exitCode, "the worker must wait for the running job").toBeNull();

    const releasedAt = Date.now();
    await client.query("commit");
    const exit = await exited;
    expect(exit.code, output).toBe(0);
    expect(await jobState(client, running)).toBe("completed");
    expect(await jobState(client, queued)).toBe("created");
    console.log(`[worker test] exit ${exit.at - sigtermAt} ms after SIGTERM, ${exit.at - releasedAt} ms after the running job could finish`);
  }, 240_000);
});
