// Compliance background jobs: the audit sealer (every few seconds), the audit verifier (checkpoints: the
// tail every 5 minutes, the whole chain daily) and personal-data retention (daily).
import { registerJob } from "@/lib/jobs/job-registry";
import { checkpointAllAuditChains } from "./audit-chain-checkpoint";
import { eraseInactiveCustomers } from "@/lib/customers/erase-customer";
import { sealAuditChain } from "./seal-audit-chain";

const SEAL_INTERVAL_MS = 3_000;
/** pg-boss cron has minute resolution: each run seals every few seconds for just under a minute. */
const SEAL_RUN_MS = 50_000;

// The loop ends early when the worker is asked to stop, so its graceful shutdown is not held up. (Only
// the worker imports this module, and it handles the signals itself; these listeners only set a flag.)
let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => (stopping = true));

registerJob({
  name: "compliance.seal-audit-chain",
  cron: "* * * * *",
  retryLimit: 0,
  handler: async () => {
    const started = Date.now();
    let sealed = 0;
    let runs = 0;
    while (!stopping && Date.now() - started < SEAL_RUN_MS) {
      sealed += (await sealAuditChain({ batchSize: 500 })).sealed;
      runs++;
      await new Promise((resolve) => setTimeout(resolve, SEAL_INTERVAL_MS));
    }
    return { sealed, runs };
  },
});

registerJob({
  name: "compliance.verify-audit-chains",
  cron: "*/5 * * * *",
  handler: async () => checkpointAllAuditChains(),
});

registerJob({
  name: "compliance.verify-audit-chains-full",
  cron: "41 2 * * *",
  handler: async () => checkpointAllAuditChains({ full: true }),
});

registerJob({
  name: "compliance.erase-inactive-customers",
  cron: "17 3 * * *",
  handler: async () => eraseInactiveCustomers(),
});
