// Gives scripts a PostgreSQL to work on: DATABASE_URL when set, otherwise the embedded server whose
// data lives in .data/postgres (started here, stopped by the caller).
import path from "node:path";
import pg from "pg";
import { startLocalPostgres, type LocalPostgres } from "./local-postgres";

export const projectRoot = path.resolve(import.meta.dirname, "../..");
export const EMBEDDED_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54320);
/** Where local state lives (embedded PostgreSQL, PSP sandbox, generated secrets); several instances can use several. */
export const dataDir = path.resolve(projectRoot, process.env.SETTLE_DATA_DIR ?? ".data");
export const APP_DATABASE = "settle";

export type DatabaseHandle = { url: string; local?: LocalPostgres; stop(): Promise<void>; stopSync(): void };

export async function ensureDatabaseExists(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export async function openDatabase(options: { log?: (line: string) => void } = {}): Promise<DatabaseHandle> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {}, stopSync: () => {} };
  const local = await startLocalPostgres({
    dataDir: path.join(dataDir, "postgres"),
    port: EMBEDDED_PG_PORT,
    log: options.log,
  });
  await ensureDatabaseExists(local.adminUrl, APP_DATABASE);
  return { url: local.urlFor(APP_DATABASE), local, stop: () => local.stop(), stopSync: () => local.stopSync() };
}
