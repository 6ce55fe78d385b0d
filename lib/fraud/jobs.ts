// Fraud's background job: the retention of the payment-attempt history (hourly; a pass deletes in small
// batches for at most a few minutes, the next pass continues).
import { registerJob } from "@/lib/jobs/job-registry";
import { purgeExpiredPaymentAttempts } from "./purge-payment-attempts";

registerJob({ name: "fraud.purge-payment-attempts", cron: "23 * * * *", handler: async () => purgeExpiredPaymentAttempts() });
