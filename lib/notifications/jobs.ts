// Background jobs of notifications and receipts: webhook delivery and the email outbox run every minute
// and keep polling for ~50 s, so new events go out within about a second; old logs are purged daily.
import { registerJob } from "@/lib/jobs/job-registry";
import { runEmailLoop } from "@/lib/receipts/send-receipt-email";
import { runDeliveryLoop } from "./deliver-webhooks";
import { purgeNotificationLogs } from "./purge-notification-logs";

registerJob({ name: "notifications.deliver", cron: "* * * * *", retryLimit: 0, handler: () => runDeliveryLoop({ budgetMs: 50_000 }) });
registerJob({ name: "receipts.send", cron: "* * * * *", retryLimit: 0, handler: () => runEmailLoop({ budgetMs: 50_000 }) });
registerJob({ name: "notifications.purge", cron: "17 3 * * *", handler: () => purgeNotificationLogs() });
