// The children of npm start run in process groups of their own (a terminal Ctrl-C reaches only
// start.ts); exit-with-parent.mjs makes each one stop itself, through its SIGTERM path, when start.ts
// is gone without stopping it (SIGKILL).
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const preload = pathToFileURL(path.join(import.meta.dirname, "exit-with-parent.mjs")).href;

describe("exit-with-parent", () => {
  it("sends the child SIGTERM once its parent is SIGKILLed", async () => {
    // parent: spawns a detached child that reports its pid and, on SIGTERM, exits after printing a marker to a file.
    const marker = path.join(tmpdir(), `settle-exit-with-parent-${process.pid}.log`);
    const childCode = `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "up"); process.on("SIGTERM", () => { require("node:fs").writeFileSync(${JSON.stringify(marker)}, "sigterm"); process.exit(0); }); setInterval(() => {}, 1000);`;
    const parentCode = `const c = require("node:child_process").spawn(process.execPath, ["--import", ${JSON.stringify(preload)}, "-e", ${JSON.stringify(childCode)}], { detached: true, stdio: "ignore" }); console.log(c.pid); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ["-e", parentCode], { stdio: ["ignore", "pipe", "inherit"] });
    const childPid = await new Promise<number>((resolve) => parent.stdout!.once("data", (chunk) => resolve(Number(String(chunk).trim()))));
    const { existsSync, readFileSync, rmSync } = await import("node:fs");
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      for (let i = 0; i < 100 && !existsSync(marker); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(alive(childPid)).toBe(true);
      parent.kill("SIGKILL");
      const killedAt = Date.now();
      for (let i = 0; i < 100 && alive(childPid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(alive(childPid)).toBe(false);
      expect(readFileSync(marker, "utf8")).toBe("sigterm");
      expect(Date.now() - killedAt).toBeLessThan(8_000);
    } finally {
      if (alive(childPid)) process.kill(childPid, "SIGKILL");
      rmSync(marker, { force: true });
    }
  }, 30_000);
});
