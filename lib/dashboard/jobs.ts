// The dashboard's background job: fold the overview rollup's deltas into its daily totals every minute.
import { registerJob } from "@/lib/jobs/job-registry";
import { foldDailyRollup } from "./fold-daily-rollup";

registerJob({ name: "dashboard.fold-rollup", cron: "* * * * *", handler: async () => foldDailyRollup() });
