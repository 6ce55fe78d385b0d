// The state machine's pure rules: the ways back from refunded need the refund_failed cause.
import { describe, expect, test } from "vitest";
import { CAUSED_TRANSITIONS, canTransition, PAYMENT_STATUSES, PAYMENT_TRANSITIONS, type PaymentStatus } from "./state-machine";

describe("caused transitions", () => {
  test("every caused transition is a listed pair (so the database table has it too)", () => {
    for (const pair of Object.keys(CAUSED_TRANSITIONS)) {
      const [from, to] = pair.split("->") as [PaymentStatus, PaymentStatus];
      expect(PAYMENT_TRANSITIONS[from]).toContain(to);
    }
  });

  test("refunded → captured/settled and refund_settled → settled only because a refund failed", () => {
    for (const [from, to] of [["refunded", "captured"], ["refunded", "settled"], ["refund_settled", "settled"]] as const) {
      expect(canTransition(from, to)).toBe(false);
      expect(canTransition(from, to, "refund_failed")).toBe(true);
    }
    expect(canTransition("refund_settled", "captured", "refund_failed")).toBe(false);
    expect(canTransition("refunded", "refund_settled")).toBe(true);
  });

  test("the cause opens nothing else", () => {
    for (const from of PAYMENT_STATUSES) {
      for (const to of PAYMENT_STATUSES) {
        const caused = CAUSED_TRANSITIONS[`${from}->${to}`] !== undefined;
        expect(canTransition(from, to, "refund_failed")).toBe(PAYMENT_TRANSITIONS[from].includes(to));
        expect(canTransition(from, to)).toBe(PAYMENT_TRANSITIONS[from].includes(to) && !caused);
      }
    }
  });
});
