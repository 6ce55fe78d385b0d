import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/page-header";
import { ReviewQueue, type ReviewItem } from "@/components/review-queue";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { listReviews } from "@/lib/compliance/aml/reviews/list-reviews";
import { formatMoney } from "@/lib/money";

export const metadata: Metadata = { title: "Reviews" };
export const dynamic = "force-dynamic";

export default async function ReviewsPage() {
  const user = (await getDashboardUser())!;
  if (!can(user.role, "reviewCompliance")) {
    return (
      <>
        <PageHeader title="Reviews" />
        <EmptyState title="Only admins and owners can review held payments and transfers." />
      </>
    );
  }
  const [pending, decided] = await Promise.all([
    listReviews(user.merchantId, { limit: 100, status: "pending" }),
    listReviews(user.merchantId, { limit: 20 }),
  ]);
  const toItem = (review: (typeof pending.data)[number]): ReviewItem => ({
    id: review.id,
    subjectType: review.subject_type,
    subjectId: review.subject_id,
    amount: review.amount !== null && review.currency ? `${formatMoney(BigInt(review.amount), review.currency)} ${review.currency.toUpperCase()}` : "—",
    reasons: review.reasons.map((reason) => `${reason.rule}: ${reason.detail}`),
    status: review.status,
    decidedBy: review.decided_by,
    reason: review.reason,
    created: review.created,
  });
  return (
    <>
      <PageHeader title="Reviews" description="Payments and transfers held by fraud or AML rules. Approve to let them proceed, or reject to cancel them; every decision needs a reason and is audited." />
      <ReviewQueue pending={pending.data.map(toItem)} recent={decided.data.filter((review) => review.status !== "pending").map(toItem)} />
    </>
  );
}
