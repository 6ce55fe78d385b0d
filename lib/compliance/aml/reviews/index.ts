// Public API of the review queue.
export { decideReview, type DecideReviewInput } from "./decide-review";
export { getReview, listReviews } from "./list-reviews";
export { openReview, type OpenReviewInput } from "./open-review";
export { getReviewHandler, registerReviewHandler, unregisterReviewHandler, type ReviewDecisionEvent, type ReviewHandler } from "./review-handlers";
export * from "./review.types";
