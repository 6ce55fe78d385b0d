// The review queue against a real database: open (one per subject), guarded decisions with audit rows,
// the subject domain's handler, tenancy, and the screening and listing endpoints.
import { afterEach, describe, expect, it } from "vitest";
import { GET as listReviewsRoute } from "@/app/api/v1/reviews/route";
import { GET as getReviewRoute } from "@/app/api/v1/reviews/[id]/route";
import { POST as screenRoute } from "@/app/api/v1/reviews/screen/route";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { apiRequest, makeMerchant, routeParams } from "@/tests/fixtures";
import { decideReview } from "./decide-review";
import { openReview } from "./open-review";
import { registerReviewHandler, unregisterReviewHandler, type ReviewDecisionEvent } from "./review-handlers";

const admin = { type: "user", id: "usr_admin", ip: "127.0.0.1", userAgent: "vitest" } as const;
const reasons = [{ rule: "aml_report_threshold", detail: "12,000.00 USD", weight: 0 }];

afterEach(() => {
  unregisterReviewHandler("payment");
  unregisterReviewHandler("transfer");
});

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

describe("reviews", () => {
  it("opens one review per subject and audits it", async () => {
    const { merchantId } = await makeMerchant();
    const first = await openReview({ merchantId, subjectType: "payment", subjectId: "pay_1", reasons, amountMinor: 1_200_000n, currency: "USD" });
    const again = await openReview({ merchantId, subjectType: "payment", subjectId: "pay_1", reasons: [] });
    expect(first.opened).toBe(true);
    expect(again).toMatchObject({ id: first.id, opened: false, reasons });
    expect(first).toMatchObject({ object: "review", status: "pending", amount: 1_200_000, currency: "USD", subject_id: "pay_1" });
    expect(await db().auditEvent.count({ where: { merchantId, action: "review.opened", targetId: first.id } })).toBe(1);
  });

  it("approves once: the handler runs, the decision is audited, a second decision fails with invalid_state_transition", async () => {
    const { merchantId } = await makeMerchant();
    const review = await openReview({ merchantId, subjectType: "payment", subjectId: "pay_2", reasons });
    const calls: ReviewDecisionEvent[] = [];
    registerReviewHandler("payment", async (event) => void calls.push(event));
    const decided = await decideReview({ merchantId, reviewId: review.id, decision: "approve", reason: "customer verified by phone", actor: admin });
    expect(decided).toMatchObject({ status: "approved", decided_by: "usr_admin", reason: "customer verified by phone", handler_status: "completed" });
    expect(calls).toEqual([expect.objectContaining({ merchantId, reviewId: review.id, subjectId: "pay_2", decision: "approve" })]);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { merchantId, action: "review.approved", targetId: review.id } });
    expect(audit).toMatchObject({ actorType: "user", actorId: "usr_admin", ip: "127.0.0.1", userAgent: "vitest" });

    await expectCode(decideReview({ merchantId, reviewId: review.id, decision: "reject", reason: "changed my mind", actor: admin }), "invalid_state_transition");
    await expectCode(decideReview({ merchantId, reviewId: review.id, decision: "approve", reason: "again", actor: admin }), "invalid_state_transition");
    expect(calls).toHaveLength(1);
    expect((await db().review.findUniqueOrThrow({ where: { id: review.id } })).status).toBe("approved");
  });

  it("rejects; concurrent decisions: exactly one wins", async () => {
    const { merchantId } = await makeMerchant();
    const review = await openReview({ merchantId, subjectType: "transfer", subjectId: "trf_3", reasons });
    const results = await Promise.allSettled([
      decideReview({ merchantId, reviewId: review.id, decision: "reject", reason: "structuring pattern", actor: admin }),
      decideReview({ merchantId, reviewId: review.id, decision: "approve", reason: "looks fine", actor: { ...admin, id: "usr_other" } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((failed.reason as AppError).code).toBe("invalid_state_transition");
    expect(await db().auditEvent.count({ where: { merchantId, targetId: review.id, action: { in: ["review.approved", "review.rejected"] } } })).toBe(1);
  });

  it("keeps the decision when the handler fails, and records the failure", async () => {
    const { merchantId } = await makeMerchant();
    const review = await openReview({ merchantId, subjectType: "payment", subjectId: "pay_4", reasons });
    registerReviewHandler("payment", async () => {
      throw new Error("PSP unreachable");
    });
    const decided = await decideReview({ merchantId, reviewId: review.id, decision: "reject", reason: "card reported stolen", actor: admin });
    expect(decided).toMatchObject({ status: "rejected", handler_status: "failed" });
    expect((await db().review.findUniqueOrThrow({ where: { id: review.id } })).handlerError).toBe("PSP unreachable");
  });

  it("refuses another merchant's review and a reason-less decision", async () => {
    const { merchantId } = await makeMerchant();
    const other = await makeMerchant();
    const review = await openReview({ merchantId, subjectType: "payment", subjectId: "pay_5", reasons });
    await expectCode(decideReview({ merchantId: other.merchantId, reviewId: review.id, decision: "approve", reason: "mine now", actor: admin }), "resource_missing");
    await expectCode(decideReview({ merchantId, reviewId: review.id, decision: "approve", reason: "  ", actor: admin }), "parameter_invalid");
    expect((await db().review.findUniqueOrThrow({ where: { id: review.id } })).status).toBe("pending");
  });
});

describe("screening and review endpoints", () => {
  it("holds a payment at the report threshold, lets one under it through, and lists the queue", async () => {
    const { secret } = await makeMerchant();
    const screen = (key: string, body: unknown) => screenRoute(apiRequest("/api/v1/reviews/screen", { secret, idempotencyKey: key, body }));
    const under = await (await screen("k1", { subject_type: "payment", subject_id: "order-1", amount: 999_999, currency: "USD" })).json();
    expect(under).toMatchObject({ object: "screening", outcome: "allow", review: null });
    const held = await (await screen("k2", { subject_type: "payment", subject_id: "order-2", amount: 1_000_000, currency: "USD" })).json();
    expect(held.outcome).toBe("review");
    expect(held.review).toMatchObject({ status: "pending", subject_id: "order-2", amount: 1_000_000 });
    // The same request replays; a sanctioned name is held whatever the amount.
    expect(await (await screen("k2", { subject_type: "payment", subject_id: "order-2", amount: 1_000_000, currency: "USD" })).json()).toEqual(held);
    const { importSanctionsCsv } = await import("@/lib/compliance/sanctions/import-sanctions-csv");
    await importSanctionsCsv("list_id,entry_ref,name,type\nT,1,\"MOROZKO, Viktor\",individual\n");
    const named = await (await screen("k3", { subject_type: "transfer", subject_id: "trf_9", amount: 500, currency: "USD", customer_name: "Viktor Morozko" })).json();
    expect(named.outcome).toBe("review");
    expect(named.reasons.map((r: { rule: string }) => r.rule)).toEqual(["sanctions"]);

    const list = await (await listReviewsRoute(apiRequest("/api/v1/reviews?status=pending", { secret }))).json();
    expect(list.data.map((r: { subject_id: string }) => r.subject_id).sort()).toEqual(["order-2", "trf_9"]);
    const one = await getReviewRoute(apiRequest(`/api/v1/reviews/${held.review.id}`, { secret }), routeParams({ id: held.review.id }));
    expect((await one.json()).id).toBe(held.review.id);
    const stranger = await makeMerchant();
    expect((await getReviewRoute(apiRequest(`/api/v1/reviews/${held.review.id}`, { secret: stranger.secret }), routeParams({ id: held.review.id }))).status).toBe(404);
  });
});
