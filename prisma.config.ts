// Prisma CLI configuration. The schema is split per domain under prisma/schema/.
// DATABASE_URL is only needed by commands that talk to a database; `prisma generate` does not.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/settle" },
});
