// npm run db:diff -- <name> — write prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
// takes the existing migrations to the current prisma/schema (uses a temporary shadow database).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffMigrationsToSchema, migrationsDir } from "../lib/db/schema-engine";
import { openDatabase } from "./lib/database";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:diff -- <name>   (lowercase letters, digits and underscores)");
  process.exit(2);
}
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
