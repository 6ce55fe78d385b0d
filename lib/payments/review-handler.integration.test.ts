// The payment review handler on a decision: it resumes Settle payments only. A review the merchant opened
// through the screening API for its own object (an order id) has nothing here to resume.
import { describe, expect, test } from "vitest";
import { decideReview, openReview } from "@/lib/compliance/aml/reviews";
import { db } from "@/lib/db/client";
import { makeMerchant } from "@/tests/fixtures";
import "./review-handler";

const admin = { type: "user", id: "usr_admin" } as const;
const reasons = [{ rule: "aml_report_threshold", detail: "12,500.00 USD", weight: 0 }];

describe("payment review handler", () => {
  test("a screened subject that is not a Settle payment is decided with nothing to resume", async () => {
    const { merchantId } = await makeMerchant();
    const review = await openReview({ merchantId, subjectType: "payment", subjectId: "order-42", reasons });
    const decided = await decideReview({ merchantId, reviewId: review.id, decision: "approve", reason: "invoice checked", actor: admin });
    expect(decided).toMatchObject({ status: "approved", handler_status: "completed" });
    expect((await db().review.findUniqueOrThrow({ where: { id: review.id } })).handlerError).toBeNull();
  });

  test("a Settle payment id is handed to the payments domain (a missing one fails visibly on the review)", async () => {
    const { merchantId } = await makeMerchant();
    const review = await openReview({ merchantId, subjectType: "payment", subjectId: "pay_missing", reasons });
    const decided = await decideReview({ merchantId, reviewId: review.id, decision: "reject", reason: "not ours", actor: admin });
    expect(decided).toMatchObject({ status: "rejected", handler_status: "failed" });
    expect((await db().review.findUniqueOrThrow({ where: { id: review.id } })).handlerError).toMatch(/No such payment: 'pay_missing'/);
  });
});
