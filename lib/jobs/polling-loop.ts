// The shape of the worker's polling jobs (merchant webhook deliveries, receipt emails, PSP events): a cron
// job that starts every minute and keeps taking work for most of it, so new work waits about `idleMs`,
// not up to a minute, while the job queue still owns when and where it runs.

/**
 * Runs `pass` until `budgetMs` is spent; `pass` returns how many items it handled, and when none,
 * the loop waits `idleMs` (never past the budget) before the next pass. Returns the items handled.
 */
export async function runPollingLoop(options: { budgetMs: number; idleMs: number }, pass: () => Promise<number>): Promise<number> {
  const started = Date.now();
  let handled = 0;
  while (Date.now() - started < options.budgetMs) {
    const count = await pass();
    handled += count;
    if (count === 0) await new Promise((resolve) => setTimeout(resolve, Math.min(options.idleMs, Math.max(0, options.budgetMs - (Date.now() - started)))));
  }
  return handled;
}

/**
 * The same for a process that owns the loop (the worker) rather than a job: `pass` runs again at once
 * while it finds work, `idleMs` after an empty pass, and `idleMs` after a failure (logged by `onError`),
 * until stop(), which waits for the pass in progress.
 */
export function startPollingLoop(
  options: { idleMs: number; onError: (error: unknown) => void },
  pass: () => Promise<number>,
): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return;
    running = pass()
      .then((count) => count > 0, (error: unknown) => (options.onError(error), false))
      .then((busy) => {
        if (!stopped) timer = setTimeout(tick, busy ? 0 : options.idleMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
