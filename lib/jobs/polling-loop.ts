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
