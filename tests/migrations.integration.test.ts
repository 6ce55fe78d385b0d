// The migrations folder and prisma/schema must describe the same database.
import { expect, inject, test } from "vitest";
import { diffMigrationsToSchema } from "@/lib/db/schema-engine";

test("diff from the migrations to schema.prisma is empty", async () => {
  const sql = await diffMigrationsToSchema(inject("testDatabaseAdminUrl"));
  expect(sql, `schema.prisma has changes with no migration; run npm run db:diff -- <name>:\n${sql}`).toBe("");
});
