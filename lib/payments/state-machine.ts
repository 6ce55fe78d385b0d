// The payment state machine: the one definition of which status may follow which. The database holds
// the same pairs (table payment_status_transitions, checked by a trigger); a test keeps them equal.

export const PAYMENT_STATUSES = [
  "initiated",
  "review",
  "pending",
  "authorized",
  "captured",
  "settled",
  "failed",
  "canceled",
  "refunded",
  "refund_settled",
  "chargeback",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  // Written before the PSP is called; a fraud/AML hold parks it in review.
  initiated: ["pending", "review", "failed", "canceled"],
  // A human approves (→ pending, the PSP is called) or rejects (→ canceled).
  review: ["pending", "canceled"],
  // The PSP call is in flight or its answer is ambiguous; bank debits wait here while processing.
  pending: ["authorized", "failed", "canceled"],
  authorized: ["captured", "failed", "canceled"],
  captured: ["settled", "refunded", "chargeback"],
  settled: ["refunded", "chargeback"],
  // Back to captured/settled only when a refund fails after the PSP reported it succeeded (see below).
  refunded: ["refund_settled", "captured", "settled"],
  // A dispute won returns the payment to settled.
  chargeback: ["settled"],
  failed: [],
  canceled: [],
  refund_settled: ["settled"],
};

/** Why a transition happens, for the transitions that only one cause may take. */
export type TransitionCause = "refund_failed";

/**
 * Transitions that need a cause: a payment leaves refunded/refund_settled only because a refund the PSP
 * had reported succeeded failed later (Stripe's refund.failed), giving money back to the merchant. The
 * database checks the same (payments_guard_transition: amount_refunded < amount_captured and a failed
 * refund that had succeeded).
 */
export const CAUSED_TRANSITIONS: Readonly<Record<string, TransitionCause>> = {
  "refunded->captured": "refund_failed",
  "refunded->settled": "refund_failed",
  "refund_settled->settled": "refund_failed",
};

/** Timestamp column set when a payment enters each status. */
export const STATUS_TIMESTAMP: Readonly<Record<PaymentStatus, string | null>> = {
  initiated: null,
  review: "review_at",
  pending: "pending_at",
  authorized: "authorized_at",
  captured: "captured_at",
  settled: "settled_at",
  failed: "failed_at",
  canceled: "canceled_at",
  refunded: "refunded_at",
  refund_settled: "refund_settled_at",
  chargeback: "chargeback_at",
};

export function canTransition(from: PaymentStatus, to: PaymentStatus, cause?: TransitionCause): boolean {
  const needed = CAUSED_TRANSITIONS[`${from}->${to}`];
  return PAYMENT_TRANSITIONS[from].includes(to) && (needed === undefined || needed === cause);
}

export function isTerminal(status: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[status].length === 0;
}

/** Statuses from which money has been captured (refunds and disputes apply). */
export const CAPTURED_STATUSES: readonly PaymentStatus[] = ["captured", "settled", "refunded", "refund_settled", "chargeback"];

export function allTransitionPairs(): [PaymentStatus, PaymentStatus][] {
  return PAYMENT_STATUSES.flatMap((from) => PAYMENT_TRANSITIONS[from].map((to) => [from, to] as [PaymentStatus, PaymentStatus]));
}
