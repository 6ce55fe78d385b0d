// The worker's polling jobs: passes back to back while there is work, a pause after an empty pass, and
// no pass started once the budget is spent.
import { expect, test } from "vitest";
import { runPollingLoop } from "./polling-loop";

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
