// Bench smoke inside npm test: the whole `npm run bench` pipeline at toy sizes produces a report with
// non-zero throughputs. No timing thresholds here: speed targets live in bench/report.md.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, runBench } from "./run";

describe("bench smoke", () => {
  it(
    "produces report.md, report.json and sustained.svg with non-zero throughputs",
    async () => {
      const options = parseArgs(["--quick", "--seconds", "2", "--sustained-minutes", "0.1", "--rows", "2000", "--out", "bench/results/smoke"]);
      const report = await runBench(options);
      for (const file of ["report.md", "report.json", "sustained.svg"]) expect(existsSync(path.join(options.outDir, file)), file).toBe(true);
      const json = JSON.parse(readFileSync(path.join(options.outDir, "report.json"), "utf8"));
      for (const name of ["trivial", "transfers", "payments", "webhooks", "psp"]) expect(json[name].perSecond, name).toBeGreaterThan(0);
      expect(json.ledger.result.transfers.perSecond).toBeGreaterThan(0);
      expect(json.ledger.result.sqlFloor.perSecond).toBeGreaterThan(0);
      expect(json.reconciliation[0].result.rowsPerSecond).toBeGreaterThan(0);
      expect(json.pages.length).toBe(2);
      expect(report.ratios.transfersToTrivial.value).not.toBeNull();
    },
    20 * 60_000,
  );
});
