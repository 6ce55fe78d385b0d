// Runs before each test file: clones the migrated template into a database of the file's own, and
// points DATABASE_URL at it, so files can run in parallel without seeing each other's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { TEMPLATE_DATABASE } from "./global-setup";

const adminUrl = inject("testDatabaseAdminUrl");
const name = `settle_t_${randomBytes(6).toString("hex")}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// PostgreSQL refuses to copy a template while another copy of it is in progress: retry briefly.
for (let attempt = 1; ; attempt++) {
  try {
    await admin((client) => client.query(`create database "${name}" template "${TEMPLATE_DATABASE}" strategy file_copy`));
    break;
  } catch (error) {
    if (attempt >= 100 || !String(error).includes("is being accessed by other users")) throw error;
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
}
const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret-0123456789";
process.env.ENCRYPTION_KEK ??= Buffer.alloc(32, 7).toString("base64");

afterAll(async () => {
  const { closeDb } = await import("@/lib/db/client");
  await closeDb();
  await admin((client) => client.query(`drop database if exists "${name}" with (force)`));
});
