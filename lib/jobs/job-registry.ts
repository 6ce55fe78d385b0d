// Background jobs: each domain declares its jobs here; scripts/worker.ts runs them on pg-boss
// (a durable queue in PostgreSQL) with retries, and on a cron schedule where given.
import { purgeExpiredIdempotencyKeys } from "@/lib/idempotency/run-idempotent";

export type JobDefinition = {
  name: string;
  /** Cron expression (UTC) for recurring jobs. */
  cron?: string;
  retryLimit?: number;
  handler: (data: unknown) => Promise<unknown>;
};

const jobs = new Map<string, JobDefinition>();

export function registerJob(job: JobDefinition): void {
  jobs.set(job.name, job);
}

export function listJobs(): JobDefinition[] {
  return [...jobs.values()];
}

registerJob({ name: "idempotency.purge-expired", cron: "*/15 * * * *", handler: async () => ({ deleted: await purgeExpiredIdempotencyKeys() }) });
