// The payment lifecycle's background jobs: PSP event processing, stuck-payment/refund recovery, settlement.
import { registerJob } from "@/lib/jobs/job-registry";
import { processPspEvents } from "@/lib/webhooks/psp/process-psp-events";
import { recoverStuckRefunds } from "@/lib/refunds/recover-refunds";
import { recoverStuckPayments } from "./recover-payments";
import { runSettlementSweep } from "./settle-payments";
import "./review-handler";

registerJob({ name: "psp.process-events", cron: "* * * * *", handler: async () => ({ handled: await processPspEvents() }) });
registerJob({
  name: "payments.recover-stuck",
  cron: "* * * * *",
  handler: async () => ({ payments: await recoverStuckPayments(), refunds: await recoverStuckRefunds() }),
});
registerJob({ name: "payments.settle", cron: "*/5 * * * *", handler: async () => runSettlementSweep() });
