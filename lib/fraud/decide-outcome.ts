// Combines rule results, the model score and AML into one outcome. Order of precedence:
// 1. a hard block (velocity, block list) → block with its code;
// 2. an AML hold → review (an allow-list entry does not lift a compliance hold);
// 3. an allow-list hit → allow;
// 4. score (model + rule weights, capped at 100) ≥ block threshold → block (card_declined);
//    ≥ review threshold → review; else allow.
import type { BlockCode, RiskOutcome, RiskReason } from "./assess-payment-risk.types";
import type { RuleResult } from "./rules/rule";

export type OutcomeInput = {
  modelScore: number;
  modelReason: RiskReason;
  ruleResults: RuleResult[];
  aml: { hold: boolean; reasons: RiskReason[] };
  thresholds: { reviewThreshold: number; blockThreshold: number };
};

export type Outcome = { outcome: RiskOutcome; score: number; reasons: RiskReason[]; blockCode?: BlockCode; retryAfterSeconds?: number };

export function decideOutcome(input: OutcomeInput): Outcome {
  const ruleWeight = input.ruleResults.reduce((total, result) => total + result.weight, 0);
  const score = Math.max(0, Math.min(100, Math.round(input.modelScore + ruleWeight)));
  const reasons = [...input.ruleResults.flatMap((result) => result.reasons), input.modelReason, ...input.aml.reasons];
  const hardBlock = input.ruleResults.find((result) => result.block)?.block;
  if (hardBlock) {
    return { outcome: "block", score, reasons, blockCode: hardBlock.code, ...(hardBlock.retryAfterSeconds ? { retryAfterSeconds: hardBlock.retryAfterSeconds } : {}) };
  }
  if (input.aml.hold) return { outcome: "review", score, reasons };
  if (input.ruleResults.some((result) => result.allow)) return { outcome: "allow", score, reasons };
  if (score >= input.thresholds.blockThreshold) return { outcome: "block", score, reasons, blockCode: "card_declined" };
  if (score >= input.thresholds.reviewThreshold) return { outcome: "review", score, reasons };
  return { outcome: "allow", score, reasons };
}
