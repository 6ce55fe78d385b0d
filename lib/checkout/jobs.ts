// Checkout's background job: cancel the unconfirmed PaymentIntents of expired checkout sessions.
import { registerJob } from "@/lib/jobs/job-registry";
import { cancelExpiredCheckoutSessions } from "./cancel-expired-sessions";

registerJob({ name: "checkout.cancel-expired", cron: "* * * * *", handler: async () => cancelExpiredCheckoutSessions() });
