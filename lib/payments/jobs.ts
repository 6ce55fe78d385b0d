// The payment lifecycle's background jobs: PSP event processing, stuck-payment/refund recovery, settlement.
import { registerJob } from "@/lib/jobs/job-registry";
import { processPspEvents } from "@/lib/webhooks/psp/process-psp-events";
import { recoverStuckRefunds } from "@/lib/refunds/recover-refunds";
import { recoverStuckPayments } from "./recover-payments";
import { runSettlementSweep } from "./settle-payments";
import "./review-handler";

// The worker's own loop takes stored PSP events within half a second (scripts/worker.ts); this job is the
// safety net, and what runs them where no worker loop does.
registerJob({ name: "psp.process-events", cron: "* * * * *", handler: async () => ({ handled: await processPspEvents() }) });
registerJob({
  name: "payments.recover-stuck",
  cron: "* * * * *",
  handler: async () => ({ payments: await recoverStuckPayments(), refunds: await recoverStuckRefunds() }),
});
registerJob({ name: "payments.settle", cron: "*/5 * * * *", handler: async () => runSettlementSweep() });
