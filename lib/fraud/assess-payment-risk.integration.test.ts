// assessPaymentRisk and recordPaymentAttempt against a real database: velocity blocks and their lifting,
// impossible travel, merchant lists (also through the API), per-merchant thresholds, reviews, tenancy.
import { describe, expect, it } from "vitest";
import { GET as listLists, POST as addList, DELETE as deleteList } from "@/app/api/v1/risk/lists/route";
import { POST as updateSettings } from "@/app/api/v1/risk/settings/route";
import { db } from "@/lib/db/client";
import { apiRequest, makeMerchant, makeRestrictedKey } from "@/tests/fixtures";
import { assessPaymentRisk } from "./assess-payment-risk";
import type { TAssessPaymentRiskInput } from "./assess-payment-risk.types";
import { addRiskListEntry } from "./manage-risk-lists";
import { recordPaymentAttempt } from "./record-payment-attempt";

const system = { type: "system", id: "test" } as const;
const T0 = Date.parse("2026-11-20T14:00:00Z");
const MIN = 60_000;
const US_IP = "8.8.8.8";
const DE_IP = "5.9.0.1";

function attempt(merchantId: string, minutes: number, overrides: Partial<TAssessPaymentRiskInput> = {}): TAssessPaymentRiskInput {
  return {
    merchantId, amountMinor: 2_500n, currency: "USD", customerId: "cus_a", email: "ann@example.org", cardFingerprint: "fp_a",
    ipAddress: US_IP, billingCountry: "US", paymentMethodType: "card", occurredAt: new Date(T0 + minutes * MIN), ...overrides,
  };
}

async function fail(merchantId: string, minutes: number, overrides: Partial<TAssessPaymentRiskInput> = {}) {
  await recordPaymentAttempt({ ...attempt(merchantId, minutes, overrides), paymentId: `pay_f${minutes}`, succeeded: false });
}

describe("assessPaymentRisk", () => {
  it("allows an ordinary payment and stores the assessment with the model version", async () => {
    const { merchantId } = await makeMerchant();
    await recordPaymentAttempt({ ...attempt(merchantId, -600), paymentId: "pay_prev", succeeded: true });
    const result = await assessPaymentRisk(attempt(merchantId, 0));
    expect(result.outcome).toBe("allow");
    expect(result.score).toBeLessThan(50);
    expect(result.modelVersion).toMatch(/^fraud-lr-1\./);
    expect(result.reasons.some((r) => r.rule === "ml_model")).toBe(true);
    const stored = await db().riskAssessment.findUniqueOrThrow({ where: { id: result.assessmentId } });
    expect(stored).toMatchObject({ merchantId, outcome: "allow", score: result.score, modelVersion: result.modelVersion });
  });

  it("blocks after more than three failures for a card (card_declined), and the block lifts after the window", async () => {
    const { merchantId } = await makeMerchant();
    for (const m of [0, 1, 2]) await fail(merchantId, m);
    expect((await assessPaymentRisk(attempt(merchantId, 3))).blockCode).toBeUndefined();
    await fail(merchantId, 3);
    const blocked = await assessPaymentRisk(attempt(merchantId, 4));
    expect(blocked).toMatchObject({ outcome: "block", blockCode: "card_declined", retryAfterSeconds: 59 * 60 });
    // Same card from another customer and email: still blocked (the card is the key).
    expect((await assessPaymentRisk(attempt(merchantId, 30, { customerId: "cus_b", email: "bob@example.org" }))).blockCode).toBe("card_declined");
    // Another merchant never sees this merchant's history.
    const other = await makeMerchant();
    expect((await assessPaymentRisk(attempt(other.merchantId, 4))).blockCode).toBeUndefined();
    // One hour after the fourth failure the block has lifted.
    expect((await assessPaymentRisk(attempt(merchantId, 62))).blockCode).toBe("card_declined");
    const lifted = await assessPaymentRisk(attempt(merchantId, 63));
    expect(lifted.blockCode).toBeUndefined();
    expect(lifted.reasons.some((r) => r.rule === "velocity")).toBe(false);
  });

  it("rate-limits an IP that failed with many different cards", async () => {
    const { merchantId } = await makeMerchant();
    for (const m of [0, 1, 2, 3]) await fail(merchantId, m, { cardFingerprint: `fp_${m}`, customerId: `cus_${m}`, email: `u${m}@example.org` });
    const result = await assessPaymentRisk(attempt(merchantId, 5, { cardFingerprint: "fp_new", customerId: "cus_new", email: "new@example.org" }));
    expect(result).toMatchObject({ outcome: "block", blockCode: "rate_limited" });
  });

  it("stores email and IP only as keyed pseudonyms, and still blocks on email velocity (any spelling)", async () => {
    const { merchantId } = await makeMerchant();
    for (const m of [0, 1, 2, 3]) await fail(merchantId, m, { cardFingerprint: `fp_${m}`, customerId: `cus_${m}`, ipAddress: `8.8.4.${m}` });
    const rows = await db().$queryRaw<Record<string, unknown>[]>`select * from risk_payment_attempts where merchant_id = ${merchantId}`;
    expect(rows).toHaveLength(4);
    const text = JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
    expect(text).not.toMatch(/ann@example\.org|8\.8\.4\./);
    expect(new Set(rows.map((row) => Buffer.from(row.email_hmac as Uint8Array).toString("hex"))).size).toBe(1);
    expect(new Set(rows.map((row) => Buffer.from(row.ip_address_hmac as Uint8Array).toString("hex"))).size).toBe(4);
    const blocked = await assessPaymentRisk(attempt(merchantId, 5, { cardFingerprint: "fp_new", customerId: "cus_new", email: " ANN@Example.org", ipAddress: "8.8.4.9" }));
    expect(blocked).toMatchObject({ outcome: "block", blockCode: "card_declined" });
    expect(blocked.reasons[0]!.detail).toMatch(/this email/);
    // The same email at another merchant gives another pseudonym: no history there.
    const other = await makeMerchant();
    await fail(other.merchantId, 0, { cardFingerprint: "fp_o" });
    const [mine] = await db().riskPaymentAttempt.findMany({ where: { merchantId }, take: 1 });
    const [theirs] = await db().riskPaymentAttempt.findMany({ where: { merchantId: other.merchantId } });
    expect(Buffer.from(mine!.emailHmac!).equals(Buffer.from(theirs!.emailHmac!))).toBe(false);
    expect((await assessPaymentRisk(attempt(other.merchantId, 5, { cardFingerprint: "fp_new", customerId: "cus_new" }))).blockCode).toBeUndefined();
  });

  it("flags impossible travel (US, then Germany 30 minutes later) but not a plausible trip (12 hours later)", async () => {
    const { merchantId } = await makeMerchant();
    await recordPaymentAttempt({ ...attempt(merchantId, 0), paymentId: "pay_us", succeeded: true });
    const fast = await assessPaymentRisk(attempt(merchantId, 30, { ipAddress: DE_IP, billingCountry: "DE" }));
    expect(fast.reasons.find((r) => r.rule === "geo_anomaly")?.detail).toMatch(/US → DE/);
    const slow = await assessPaymentRisk(attempt(merchantId, 12 * 60, { ipAddress: DE_IP, billingCountry: "DE" }));
    expect(slow.reasons.some((r) => r.rule === "geo_anomaly")).toBe(false);
    expect(fast.score).toBeGreaterThan(slow.score);
  });

  it("notes a billing country that differs from the IP's", async () => {
    const { merchantId } = await makeMerchant();
    const result = await assessPaymentRisk(attempt(merchantId, 0, { billingCountry: "FR" }));
    expect(result.reasons.find((r) => r.rule === "billing_country_mismatch")).toMatchObject({ weight: 15, detail: "billing country FR, IP in US" });
  });

  it("blocks on a block list (email domain, country) and allows on an allow list despite a high score", async () => {
    const { merchantId } = await makeMerchant();
    await addRiskListEntry({ merchantId, actor: system, list: "block", kind: "email", value: "@Fraud.test" });
    expect(await assessPaymentRisk(attempt(merchantId, 0, { email: "x@fraud.test" }))).toMatchObject({ outcome: "block", blockCode: "card_declined" });
    await addRiskListEntry({ merchantId, actor: system, list: "block", kind: "country", value: "de" });
    expect((await assessPaymentRisk(attempt(merchantId, 0, { ipAddress: DE_IP }))).outcome).toBe("block");

    // A risky profile scored high enough to review, then the same with the card allow-listed.
    const risky = attempt(merchantId, 0, { email: "x@mailinator.com", ipAddress: "10.1.2.3", billingCountry: "BR", customerId: undefined, cardFingerprint: "fp_r", occurredAt: new Date("2026-11-20T03:00:00Z") });
    for (const m of [0, 1, 2]) await fail(merchantId, -200 + m, { cardFingerprint: "fp_r", customerId: undefined, email: "x@mailinator.com", ipAddress: "10.1.2.3" });
    const before = await assessPaymentRisk(risky);
    expect(before.outcome).not.toBe("allow");
    await addRiskListEntry({ merchantId, actor: system, list: "allow", kind: "card_fingerprint", value: "fp_r" });
    const after = await assessPaymentRisk(risky);
    expect(after.outcome).toBe("allow");
    expect(after.reasons.some((r) => r.rule === "allow_list")).toBe(true);
  });

  it("uses the merchant's thresholds and opens a review for a held payment", async () => {
    const { merchantId, secret } = await makeMerchant();
    const response = await updateSettings(apiRequest("/api/v1/risk/settings", { secret, idempotencyKey: "s1", body: { review_threshold: 1, block_threshold: 100 } }));
    expect(response.status).toBe(200);
    const held = await assessPaymentRisk(attempt(merchantId, 0, { paymentId: "pay_held" }));
    expect(held.outcome).toBe("review");
    const review = await db().review.findUniqueOrThrow({ where: { id: held.reviewId! } });
    expect(review).toMatchObject({ merchantId, subjectType: "payment", subjectId: "pay_held", status: "pending", amountMinor: 2_500n, currency: "USD" });
    // Assessing the same payment again keeps the one review.
    expect((await assessPaymentRisk(attempt(merchantId, 1, { paymentId: "pay_held" }))).reviewId).toBe(held.reviewId);

    const bad = await updateSettings(apiRequest("/api/v1/risk/settings", { secret, idempotencyKey: "s2", body: { review_threshold: 90, block_threshold: 80 } }));
    expect(bad.status).toBe(400);
    const badRule = await updateSettings(apiRequest("/api/v1/risk/settings", { secret, idempotencyKey: "s3", body: { rules: { velocity: { failuresMax: 0 } } } }));
    expect(badRule.status).toBe(400);
  });

  it("holds a payment at the AML report threshold, not one cent under", async () => {
    const { merchantId } = await makeMerchant();
    const under = await assessPaymentRisk(attempt(merchantId, 0, { amountMinor: 999_999n, customerId: "cus_x", paymentId: "pay_u" }));
    expect(under.reasons.some((r) => r.rule === "aml_report_threshold")).toBe(false);
    const at = await assessPaymentRisk(attempt(merchantId, 0, { amountMinor: 1_000_000n, customerId: "cus_y", paymentId: "pay_at" }));
    expect(at.outcome).toBe("review");
    expect(at.reasons.some((r) => r.rule === "aml_report_threshold")).toBe(true);
    expect(at.reviewId).toMatch(/^rev_/);
  });
});

describe("risk lists API", () => {
  it("adds, lists and deletes entries; needs payments write; other merchants cannot delete", async () => {
    const { secret, merchantId } = await makeMerchant();
    const created = await addList(apiRequest("/api/v1/risk/lists", { secret, idempotencyKey: "l1", body: { list: "block", kind: "email", value: "Bad@Example.com" } }));
    expect(created.status).toBe(200);
    const entry = await created.json();
    expect(entry).toMatchObject({ object: "risk_list_entry", list: "block", kind: "email", value: "bad@example.com" });

    const invalid = await addList(apiRequest("/api/v1/risk/lists", { secret, idempotencyKey: "l2", body: { list: "block", kind: "country", value: "Germany" } }));
    expect(invalid.status).toBe(400);

    const listed = await (await listLists(apiRequest("/api/v1/risk/lists?list=block", { secret }))).json();
    expect(listed.data.map((e: { id: string }) => e.id)).toEqual([entry.id]);

    const readOnly = await makeRestrictedKey(merchantId, { payments: "read" });
    expect((await addList(apiRequest("/api/v1/risk/lists", { secret: readOnly, idempotencyKey: "l3", body: { list: "allow", kind: "ip", value: "1.2.3.4" } }))).status).toBe(403);

    const stranger = await makeMerchant();
    const foreign = await deleteList(apiRequest("/api/v1/risk/lists", { method: "DELETE", secret: stranger.secret, body: { id: entry.id } }));
    expect(foreign.status).toBe(404);
    const removed = await deleteList(apiRequest("/api/v1/risk/lists", { method: "DELETE", secret, body: { id: entry.id } }));
    expect(await removed.json()).toMatchObject({ id: entry.id, deleted: true });
    expect((await (await listLists(apiRequest("/api/v1/risk/lists", { secret }))).json()).data).toEqual([]);
  });
});
