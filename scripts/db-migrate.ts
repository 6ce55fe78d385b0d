// npm run db:migrate — apply pending migrations from prisma/migrations (as `prisma migrate deploy` would).
import { applyMigrations } from "../lib/db/schema-engine";
import { openDatabase } from "./lib/database";

const database = await openDatabase();
try {
  const applied = await applyMigrations(database.url);
  console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}` : "Database is up to date.");
} finally {
  await database.stop();
}
