// The worker's polling jobs: passes back to back while there is work, a pause after an empty pass, and
// no pass started once the budget is spent.
import { expect, test } from "vitest";
import { runPollingLoop, startPollingLoop } from "./polling-loop";

test("passes run back to back while they find work, pause idleMs after an empty one, and stop at the budget", async () => {
  const found = [3, 2, 0, 4, 0];
  const startedAt: number[] = [];
  const origin = performance.now();
  const handled = await runPollingLoop({ budgetMs: 400, idleMs: 150 }, async () => {
    startedAt.push(performance.now() - origin);
    return found.shift() ?? 0;
  });
  expect(handled).toBe(9);
  // 3 and 2 back to back, then the empty pass; the next pass only after the pause.
  expect(startedAt[2]! - startedAt[0]!).toBeLessThan(140);
  expect(startedAt[3]! - startedAt[2]!).toBeGreaterThanOrEqual(140);
  // The last pause is cut to the budget: nothing starts after it.
  expect(startedAt.at(-1)!).toBeLessThan(400);
  expect(performance.now() - origin).toBeLessThan(400 + 100);
});

test("a started loop: again at once while busy, idleMs after an empty or failed pass (reported), and stop() waits for the pass in progress", async () => {
  const results: (number | Error)[] = [2, 1, 0, new Error("database gone"), 1];
  const startedAt: number[] = [];
  const errors: unknown[] = [];
  let inPass = false;
  const origin = performance.now();
  const loop = startPollingLoop({ idleMs: 120, onError: (error) => errors.push(error) }, async () => {
    startedAt.push(performance.now() - origin);
    const result = results.shift() ?? 0;
    inPass = true;
    await new Promise((resolve) => setTimeout(resolve, 10));
    inPass = false;
    if (result instanceof Error) throw result;
    return result;
  });
  while (startedAt.length < 6) await new Promise((resolve) => setTimeout(resolve, 5));
  await loop.stop();
  expect(inPass).toBe(false);
  expect(errors.map((error) => (error as Error).message)).toEqual(["database gone"]);
  const gaps = startedAt.slice(1).map((at, index) => at - startedAt[index]!);
  expect(gaps[0]!).toBeLessThan(110); // 2 found: again at once (after the pass's own 10 ms)
  expect(gaps[1]!).toBeLessThan(110); // 1 found: again at once
  expect(gaps[2]!).toBeGreaterThanOrEqual(120); // empty: a pause
  expect(gaps[3]!).toBeGreaterThanOrEqual(120); // failed: a pause
  expect(gaps[4]!).toBeLessThan(110); // 1 found: again at once
  const passes = startedAt.length;
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(startedAt.length).toBe(passes); // stopped: no pass after stop()
});
