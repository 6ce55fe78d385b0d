// The payment lifecycle's background jobs: PSP event processing, stuck-payment/refund recovery, settlement.
import { registerJob } from "@/lib/jobs/job-registry";
import { runPollingLoop } from "@/lib/jobs/polling-loop";
import { processPspEvents } from "@/lib/webhooks/psp/process-psp-events";
import { recoverStuckRefunds } from "@/lib/refunds/recover-refunds";
import { recoverStuckPayments } from "./recover-payments";
import { runSettlementSweep } from "./settle-payments";
import "./review-handler";

// Stored PSP events not finished at intake (inline slots full, deferred behind an in-flight create, failed
// and due again) are taken within about a second, not at the next minute.
registerJob({
  name: "psp.process-events",
  cron: "* * * * *",
  handler: async () => ({ handled: await runPollingLoop({ budgetMs: 50_000, idleMs: 1_000 }, () => processPspEvents()) }),
});
registerJob({
  name: "payments.recover-stuck",
  cron: "* * * * *",
  handler: async () => ({ payments: await recoverStuckPayments(), refunds: await recoverStuckRefunds() }),
});
registerJob({ name: "payments.settle", cron: "*/5 * * * *", handler: async () => runSettlementSweep() });
