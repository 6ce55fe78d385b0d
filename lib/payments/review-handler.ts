// A payment held for review (risk outcome "review") goes on when a reviewer decides: approve → pending and
// the PSP call; reject → canceled. Registered as a module side effect (see lib/compliance/aml/reviews).
import { registerReviewHandler } from "@/lib/compliance/aml/reviews";
import { db } from "@/lib/db/client";
import { drivePayment } from "./create-payment";
import { transitionPayment } from "./transition-payment";

registerReviewHandler("payment", async (event) => {
  // A review opened through the screening API for the merchant's own object (their order id, not a
  // Settle payment) has nothing here to resume: the merchant reads the decision from the review.
  if (!event.subjectId.startsWith("pay_")) return;
  const payment = await db().$transaction((tx) =>
    transitionPayment(tx, {
      merchantId: event.merchantId, paymentId: event.subjectId, from: ["review"], to: event.decision === "approve" ? "pending" : "canceled",
      actor: event.actor, reason: `review:${event.reviewId}`,
    }),
  );
  if (event.decision === "approve") await drivePayment(payment.payment, event.actor).catch((error) => {
    if ((error as { code?: string }).code !== "card_declined") throw error;
  });
});
