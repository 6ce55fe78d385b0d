// npm run db:diff -- <name> — write prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
// takes the existing migrations to the current prisma/schema (uses a temporary shadow database).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffMigrationsToSchema, migrationsDir } from "../lib/db/schema-engine";
import { openDatabase } from "./lib/database";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <name>   (lowercase letters, digits and underscores)");
  process.exit(2);
}
// Several engineers may change the schema at once: one diff at a time, each against all migrations so far.
const lockDir = path.join(migrationsDir, "..", "..", ".data", "db-diff.lock");
mkdirSync(path.dirname(lockDir), { recursive: true });
for (let waited = 0; ; waited += 500) {
  try {
    mkdirSync(lockDir);
    break;
  } catch {
    if (waited > 120_000) throw new Error(`another db:diff holds ${lockDir} (remove it if stale)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
process.on("exit", () => rmSync(lockDir, { recursive: true, force: true }));
const database = await openDatabase();
try {
  const sql = await diffMigrationsToSchema(database.url);
  if (!sql || sql === "-- This is an empty migration.") {
    console.log("No schema changes: nothing written.");
  } else {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const folder = path.join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "migration.sql"), sql + "\n");
    console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql — review it, add hand-written SQL (triggers, constraints) if needed, then npm run db:migrate.`);
  }
} finally {
  await database.stop();
}
