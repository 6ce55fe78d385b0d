// When a failed webhook delivery is tried again: exponential back-off, capped by a 3-day horizon.

/** No automatic attempt is made later than this after the event. */
export const DELIVERY_HORIZON_MS = 3 * 24 * 60 * 60 * 1000;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Delay after the n-th failed attempt (index 0 = after the first); the last value repeats. */
export const RETRY_DELAYS_MS = [
  1 * MINUTE_MS,
  5 * MINUTE_MS,
  30 * MINUTE_MS,
  2 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  24 * HOUR_MS,
] as const;

/**
 * The time of the next automatic attempt after `attemptCount` failed attempts, or null once that
 * would fall beyond `giveUpAt` (then the delivery is marked failed).
 */
export function nextAttemptAt(attemptCount: number, failedAt: Date, giveUpAt: Date): Date | null {
  const index = Math.min(Math.max(attemptCount - 1, 0), RETRY_DELAYS_MS.length - 1);
  const next = new Date(failedAt.getTime() + RETRY_DELAYS_MS[index]!);
  if (failedAt.getTime() >= giveUpAt.getTime()) return null;
  // The last attempt lands on the horizon itself rather than being skipped.
  return next.getTime() > giveUpAt.getTime() ? new Date(giveUpAt.getTime()) : next;
}
