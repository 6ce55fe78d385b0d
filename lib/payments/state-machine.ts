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
  refunded: ["refund_settled"],
  // A dispute won returns the payment to settled.
  chargeback: ["settled"],
  failed: [],
  canceled: [],
  refund_settled: [],
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

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[from].includes(to);
}

export function isTerminal(status: PaymentStatus): boolean {
  return PAYMENT_TRANSITIONS[status].length === 0;
}

/** Statuses from which money has been captured (refunds and disputes apply). */
export const CAPTURED_STATUSES: readonly PaymentStatus[] = ["captured", "settled", "refunded", "refund_settled", "chargeback"];

export function allTransitionPairs(): [PaymentStatus, PaymentStatus][] {
  return PAYMENT_STATUSES.flatMap((from) => PAYMENT_TRANSITIONS[from].map((to) => [from, to] as [PaymentStatus, PaymentStatus]));
}
