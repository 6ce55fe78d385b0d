// Retention of the fraud attempt history against a real database: attempts older than
// FRAUD_ATTEMPT_RETENTION_DAYS are deleted in batches, newer ones kept, and an assessment made after the
// purge still counts everything inside its windows (velocity block, model history features, a 90-day AML
// structuring window). The retention cannot be configured below the longest window.
import { describe, expect, test } from "vitest";
import { parseAmlConfig } from "@/lib/compliance/aml/aml-config";
import { db, sqlPool } from "@/lib/db/client";
import { FRAUD_ATTEMPT_RETENTION_MIN_DAYS, getEnv } from "@/lib/env";
import { listJobs } from "@/lib/jobs/job-registry";
import { makeMerchant } from "@/tests/fixtures";
import { assessPaymentRisk } from "./assess-payment-risk";
import type { TAssessPaymentRiskInput } from "./assess-payment-risk.types";
import { HISTORY_LOOKBACK_DAYS } from "./gather-payment-facts";
import { purgeExpiredPaymentAttempts } from "./purge-payment-attempts";
import { recordPaymentAttempt } from "./record-payment-attempt";
import { updateRiskSettings } from "./risk-settings";
import { ZVelocityConfig } from "./rules/velocity";
import "./jobs";

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const NOW = new Date();
/** Another customer, card, email and IP than cus_a's, so cus_a's velocity block does not touch them. */
const saver = { customerId: "cus_s", cardFingerprint: "fp_s", email: "s@example.org", ipAddress: "9.9.9.9" } as const;
const base = { NODE_ENV: "test", DATABASE_URL: "postgresql://x@localhost/db", AUTH_SECRET: "x".repeat(32) } as const;

function attempt(merchantId: string, agoMs: number, overrides: Partial<TAssessPaymentRiskInput> = {}): TAssessPaymentRiskInput {
  return {
    merchantId, amountMinor: 2_500n, currency: "USD", customerId: "cus_a", email: "ann@example.org", cardFingerprint: "fp_a",
    ipAddress: "8.8.8.8", billingCountry: "US", paymentMethodType: "card", occurredAt: new Date(NOW.getTime() - agoMs), ...overrides,
  };
}

async function record(merchantId: string, paymentId: string, agoMs: number, succeeded: boolean, overrides: Partial<TAssessPaymentRiskInput> = {}) {
  await recordPaymentAttempt({ ...attempt(merchantId, agoMs, overrides), paymentId, succeeded });
}

async function paymentIds(merchantId: string): Promise<string[]> {
  const rows = await db().riskPaymentAttempt.findMany({ where: { merchantId }, select: { paymentId: true }, orderBy: { paymentId: "asc" } });
  return rows.map((row) => row.paymentId);
}

describe("fraud attempt retention", () => {
  test("FRAUD_ATTEMPT_RETENTION_DAYS defaults to the longest window and refuses anything shorter", () => {
    expect(getEnv(base).FRAUD_ATTEMPT_RETENTION_DAYS).toBe(90);
    expect(getEnv({ ...base, FRAUD_ATTEMPT_RETENTION_DAYS: "365" }).FRAUD_ATTEMPT_RETENTION_DAYS).toBe(365);
    expect(() => getEnv({ ...base, FRAUD_ATTEMPT_RETENTION_DAYS: "30" })).toThrow(/FRAUD_ATTEMPT_RETENTION_DAYS: must be at least 90 days/);
    expect(() => getEnv({ ...base, FRAUD_ATTEMPT_RETENTION_DAYS: "89" })).toThrow(/FRAUD_ATTEMPT_RETENTION_DAYS/);
    // The minimum really is the longest window anything reads the history with.
    expect(FRAUD_ATTEMPT_RETENTION_MIN_DAYS).toBeGreaterThanOrEqual(HISTORY_LOOKBACK_DAYS);
    expect(() => ZVelocityConfig.parse({ windowSeconds: HISTORY_LOOKBACK_DAYS * 86_400 + 1 })).toThrow();
    expect(parseAmlConfig({ structuring: { windowHours: 24 * FRAUD_ATTEMPT_RETENTION_MIN_DAYS } }).structuring.windowHours).toBe(24 * 90);
    expect(() => parseAmlConfig({ structuring: { windowHours: 24 * FRAUD_ATTEMPT_RETENTION_MIN_DAYS + 1 } })).toThrow();
  });

  test("is scheduled on the job queue", () => {
    expect(listJobs().find((job) => job.name === "fraud.purge-payment-attempts")).toMatchObject({ cron: "23 * * * *" });
  });

  test("deletes attempts past retention in batches, keeps newer ones, and assessments still see their windows", async () => {
    const { merchantId } = await makeMerchant("Fraud retention");
    const other = await makeMerchant("Fraud retention, other merchant");
    // A 90-day AML structuring window, the longest a merchant can configure.
    await updateRiskSettings({ merchantId, actor: { type: "system", id: "test" }, rules: { aml: { structuring: { windowHours: 24 * 90 } } } });

    // Past retention (90 days): deleted, whichever merchant.
    await record(merchantId, "pay_old_1", 90 * DAY_MS + MIN_MS, false);
    await record(merchantId, "pay_old_2", 200 * DAY_MS, true);
    await record(merchantId, "pay_old_3", 400 * DAY_MS, false, { customerId: "cus_s", amountMinor: 950_000n });
    await record(other.merchantId, "pay_old_4", 91 * DAY_MS, false);
    // Inside retention: kept. Two just-under-threshold payments of cus_s within the 90-day AML window…
    await record(merchantId, "pay_keep_s1", 90 * DAY_MS - MIN_MS, true, { ...saver, amountMinor: 950_000n });
    await record(merchantId, "pay_keep_s2", 60 * DAY_MS, true, { ...saver, amountMinor: 920_000n });
    // …an earlier success of cus_a within the model's 30-day look-back…
    await record(merchantId, "pay_keep_a1", 20 * DAY_MS, true);
    // …and four failures of card fp_a in the last hour: a velocity block still active now.
    for (const minutes of [10, 9, 8, 7]) await record(merchantId, `pay_keep_f${minutes}`, minutes * MIN_MS, false);
    await record(other.merchantId, "pay_keep_o", 89 * DAY_MS, false);

    // Bounded: one batch of two rows, then the rest.
    const partial = await purgeExpiredPaymentAttempts({ now: NOW, batchRows: 2, maxBatches: 1 });
    expect(partial).toMatchObject({ deleted: 2, done: false });
    const rest = await purgeExpiredPaymentAttempts({ now: NOW, batchRows: 2 });
    expect(rest).toMatchObject({ deleted: 2, done: true, cutoff: new Date(NOW.getTime() - 90 * DAY_MS).toISOString() });
    expect(await purgeExpiredPaymentAttempts({ now: NOW })).toMatchObject({ deleted: 0, done: true });

    expect(await paymentIds(merchantId)).toEqual(["pay_keep_a1", "pay_keep_f10", "pay_keep_f7", "pay_keep_f8", "pay_keep_f9", "pay_keep_s1", "pay_keep_s2"]);
    expect(await paymentIds(other.merchantId)).toEqual(["pay_keep_o"]);

    // Velocity after the purge: the four recent failures still block the card.
    const blocked = await assessPaymentRisk(attempt(merchantId, 0));
    expect(blocked).toMatchObject({ outcome: "block", blockCode: "card_declined" });
    const stored = await db().riskAssessment.findUniqueOrThrow({ where: { id: blocked.assessmentId } });
    expect((stored.features as { input: Record<string, unknown> }).input).toMatchObject({ failures24h: 4, attemptsLastHour: 4, priorSuccessCount: 1 });

    // AML structuring after the purge: the third just-under amount within 90 days is held for review
    // (the 89-day-old one is still there; the 400-day-old one is gone and is not needed).
    const held = await assessPaymentRisk(attempt(merchantId, 0, { ...saver, amountMinor: 990_000n }));
    expect(held.outcome).toBe("review");
    expect(held.reasons.find((reason) => reason.rule === "aml_structuring")?.detail).toMatch(/^3 amounts/);

    // A shorter retention (e.g. an operator's direct call) reaches further; the raw rows are really gone.
    expect(await purgeExpiredPaymentAttempts({ now: NOW, retentionDays: 30 })).toMatchObject({ deleted: 3, done: true });
    const { rows } = await sqlPool().query<{ n: string }>(`SELECT count(*) AS n FROM risk_payment_attempts WHERE occurred_at < $1`, [new Date(NOW.getTime() - 30 * DAY_MS)]);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
