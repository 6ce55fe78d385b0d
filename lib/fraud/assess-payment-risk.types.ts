// Inputs and results of the payment risk assessment (called by payments before the PSP call) and of
// recordPaymentAttempt (called by payments after each outcome).
import { z } from "zod";
import { ZCurrencyCode } from "@/lib/money";

const ZCountry = z.string().regex(/^[A-Za-z]{2}$/).transform((value) => value.toUpperCase());

export const ZAssessPaymentRiskInput = z.object({
  merchantId: z.string().min(1),
  amountMinor: z.bigint().positive(),
  currency: ZCurrencyCode,
  customerId: z.string().min(1).max(100).optional(),
  email: z.string().max(320).transform((value) => value.trim().toLowerCase()).optional(),
  cardFingerprint: z.string().min(1).max(200).optional(),
  ipAddress: z.string().min(1).max(100).optional(),
  billingCountry: ZCountry.optional(),
  paymentMethodType: z.string().min(1).max(50),
  occurredAt: z.date(),
  /** When given and the outcome is "review", the payment is put in the review queue at once. */
  paymentId: z.string().min(1).max(100).optional(),
});
export type TAssessPaymentRiskInput = z.input<typeof ZAssessPaymentRiskInput>;
export type AssessPaymentRiskInput = z.output<typeof ZAssessPaymentRiskInput>;

export const ZRecordPaymentAttemptInput = ZAssessPaymentRiskInput.extend({
  paymentId: z.string().min(1).max(100),
  succeeded: z.boolean(),
});
export type TRecordPaymentAttemptInput = z.input<typeof ZRecordPaymentAttemptInput>;

export type RiskOutcome = "allow" | "review" | "block";
export type RiskReason = { rule: string; detail: string; weight: number };
/** How payments answers a block without calling the PSP. */
export type BlockCode = "card_declined" | "rate_limited";

export type PaymentRiskAssessment = {
  outcome: RiskOutcome;
  /** 0–100: the model's score plus the rules' weights, capped. */
  score: number;
  reasons: RiskReason[];
  modelVersion: string;
  /** Set when outcome is "block". */
  blockCode?: BlockCode;
  /** Set for temporary (velocity) blocks: when the same attempt may be tried again. */
  retryAfterSeconds?: number;
  assessmentId: string;
  /** Set when a review was opened (outcome "review" and a paymentId was given). */
  reviewId?: string;
};

export const ZPaymentRiskAssessment = z.object({
  outcome: z.enum(["allow", "review", "block"]),
  score: z.number().int().min(0).max(100),
  reasons: z.array(z.object({ rule: z.string(), detail: z.string(), weight: z.number() })),
  modelVersion: z.string(),
  blockCode: z.enum(["card_declined", "rate_limited"]).optional(),
  retryAfterSeconds: z.number().int().positive().optional(),
  assessmentId: z.string(),
  reviewId: z.string().optional(),
});
