// Back-off schedule: grows, repeats the last delay, never passes the horizon, then stops.
import fc from "fast-check";
import { expect, test } from "vitest";
import { DELIVERY_HORIZON_MS, nextAttemptAt, RETRY_DELAYS_MS } from "./delivery-schedule";

test("delays follow the table and repeat its last value", () => {
  const t0 = new Date(0);
  const horizon = new Date(DELIVERY_HORIZON_MS * 10);
  expect(RETRY_DELAYS_MS.map((_, i) => nextAttemptAt(i + 1, t0, horizon)!.getTime())).toEqual([...RETRY_DELAYS_MS]);
  expect(nextAttemptAt(20, t0, horizon)!.getTime()).toBe(RETRY_DELAYS_MS.at(-1));
});

test("the next attempt is never after the horizon, and none is due at or after it", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: DELIVERY_HORIZON_MS * 2 }), (attempts, failedAtMs) => {
      const giveUpAt = new Date(DELIVERY_HORIZON_MS);
      const next = nextAttemptAt(attempts, new Date(failedAtMs), giveUpAt);
      if (failedAtMs >= DELIVERY_HORIZON_MS) expect(next).toBeNull();
      else {
        expect(next!.getTime()).toBeGreaterThan(failedAtMs);
        expect(next!.getTime()).toBeLessThanOrEqual(DELIVERY_HORIZON_MS);
      }
    }),
  );
});
