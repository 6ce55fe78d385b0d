// Unit and integration tests. Every test file runs against its own fresh PostgreSQL database,
// cloned from a template that has all migrations applied (see tests/).
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts", "bench/**/*.test.ts", "chaos/**/*.test.ts"],
    exclude: ["node_modules/**", ".data/**", "e2e/**"],
    globalSetup: ["tests/global-setup.ts"],
    setupFiles: ["tests/setup-database.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test" },
  },
});
