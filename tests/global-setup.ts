// Starts one real PostgreSQL for the whole test run (TEST_DATABASE_ADMIN_URL if given, else an embedded
// server on a throw-away data dir) and builds the template database every test file is cloned from.
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../lib/db/schema-engine";
import { freePort } from "../scripts/lib/free-port";
import { startLocalPostgres, type LocalPostgres } from "../scripts/lib/local-postgres";

export const TEMPLATE_DATABASE = "settle_test_template";
let local: LocalPostgres | undefined;
let localDataDir: string | undefined;

async function dropTestDatabases(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like 'settle_t_%' or datname = $1",
      [TEMPLATE_DATABASE],
    );
    for (const row of rows) await client.query(`drop database if exists "${row.datname}" with (force)`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!adminUrl) {
    // A server of this run's own (own port, own data dir), so several test runs can go on at once.
    const port = process.env.TEST_PG_PORT ? Number(process.env.TEST_PG_PORT) : await freePort();
    localDataDir = path.resolve(import.meta.dirname, `../.data/test-postgres-${port}`);
    rmSync(localDataDir, { recursive: true, force: true });
    local = await startLocalPostgres({ dataDir: localDataDir, port });
    adminUrl = local.adminUrl;
  }
  await dropTestDatabases(adminUrl);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`create database "${TEMPLATE_DATABASE}"`);
  await client.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  await applyMigrations(templateUrl.toString());
  project.provide("testDatabaseAdminUrl", adminUrl);

  return async () => {
    if (adminUrl && !local) await dropTestDatabases(adminUrl);
    await local?.stop();
    if (localDataDir) rmSync(localDataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    testDatabaseAdminUrl: string;
  }
}
