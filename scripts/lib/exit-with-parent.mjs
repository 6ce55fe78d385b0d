// Preloaded (`node --import`) into every child of `npm start`. The children run in process groups of their
// own, so a Ctrl-C in the terminal reaches only scripts/start.ts, which then stops them in order (web app
// and worker drain first, then the PSP sandbox, the database last). The price of leaving the terminal's
// process group: if start.ts itself dies without stopping them (SIGKILL, a crash), nothing would. So each
// child watches its parent and stops itself (SIGTERM, i.e. its normal graceful path) when it is re-parented.
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  process.kill(process.pid, "SIGTERM");
}, 1_000);
watch.unref();
