// The short chaos run inside npm test: ~50 s of concurrent payments/refunds/transfers under faults must
// pass the checker, and the control run (a client that retries without its idempotency key) must fail it.
// It starts a stack of its own (a next build when sources changed), hence the long timeout.
import { describe, expect, it } from "vitest";
import { runChaos, type ChaosOptions } from "./lib/harness";

const base: ChaosOptions = { durationS: 50, clients: 8, faultEveryS: 4, faults: true, broken: false, wallets: 8, log: (line) => console.log(`[chaos] ${line}`) };
const TIMEOUT_MS = 20 * 60_000;

describe("chaos (short)", () => {
  it(
    "keeps every invariant under app kills, a PostgreSQL crash, PSP/webhook faults and DB connection cuts",
    async () => {
      const result = await runChaos({ ...base, label: "chaos-test" });
      const failed = result.checks.filter((check) => !check.ok);
      expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
      expect(result.operations.total).toBeGreaterThan(0);
      expect(result.faults.map((fault) => fault.kind)).toEqual(expect.arrayContaining(["app_sigkill", "postgres_immediate_crash"]));
    },
    TIMEOUT_MS,
  );

  it(
    "fails the checker for the control run (retries without the idempotency key)",
    async () => {
      const result = await runChaos({ ...base, durationS: 25, broken: true, label: "chaos-test-control" });
      expect(result.passed).toBe(false);
      const exactlyOnce = result.checks.find((check) => check.name === "every acknowledged operation exists exactly once");
      expect(exactlyOnce?.ok, exactlyOnce?.detail).toBe(false);
    },
    TIMEOUT_MS,
  );
});
