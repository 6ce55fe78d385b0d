// The risk check payments runs BEFORE calling the PSP. Rules (velocity, merchant lists, geolocation
// anomaly, billing/IP country mismatch) each add a weight or force a block; the model scores the
// attempt 0–100; AML monitoring can hold it for review. See decide-outcome.ts for how they combine.
// Every assessment is stored (risk_assessments) with its features, for audit and retraining.
import { customerMovements } from "@/lib/compliance/aml/gather-aml-facts";
import { openReview } from "@/lib/compliance/aml/reviews/open-review";
import { runAmlRules } from "@/lib/compliance/aml/rules";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { currencyExponent } from "@/lib/money";
import { ZAssessPaymentRiskInput, type PaymentRiskAssessment, type RiskReason, type TAssessPaymentRiskInput } from "./assess-payment-risk.types";
import { decideOutcome } from "./decide-outcome";
import { gatherPaymentFacts } from "./gather-payment-facts";
import { extractFeatures } from "./model/features";
import { getFraudModel } from "./model/load-model";
import { predictProbability, scoreFromProbability, topContributions } from "./model/logistic-regression";
import { paymentFeatureInput } from "./model/payment-features";
import { newRiskId } from "./risk-ids";
import { getRiskSettings } from "./risk-settings";
import { runFraudRules } from "./rules";
import { toUsdMinor } from "./usd-equivalent";

export async function assessPaymentRisk(raw: TAssessPaymentRiskInput): Promise<PaymentRiskAssessment> {
  const evaluated = await evaluatePaymentRisk(raw);
  return db().$transaction((tx) => evaluated.store(tx));
}

/**
 * The same in two steps, for a caller that writes the assessment in its own transaction (payments: with
 * the payment row and its first transition): the reads and the decision now, outside any transaction;
 * `store(tx)` writes the assessment (and opens the review) in the caller's transaction.
 */
export async function evaluatePaymentRisk(
  raw: TAssessPaymentRiskInput,
): Promise<Omit<PaymentRiskAssessment, "assessmentId" | "reviewId"> & { store: (tx: Tx) => Promise<PaymentRiskAssessment> }> {
  const input = ZAssessPaymentRiskInput.parse(raw);
  const [settings, facts, amountUsdMinor] = await Promise.all([
    getRiskSettings(input.merchantId),
    gatherPaymentFacts(input),
    toUsdMinor(input.amountMinor, input.currency, input.occurredAt),
  ]);

  const ruleResults = runFraudRules(facts, settings.rules);

  const model = getFraudModel();
  // Without a rate the model still needs a magnitude: the amount in its own major units.
  const amountUsd = amountUsdMinor !== null ? Number(amountUsdMinor) / 100 : Number(input.amountMinor) / 10 ** currencyExponent(input.currency);
  const featureInput = paymentFeatureInput(facts, amountUsd);
  const features = extractFeatures(featureInput);
  const modelScore = scoreFromProbability(predictProbability(model, features));
  const top = topContributions(model, features).map((item) => item.feature).join(", ");
  const modelReason: RiskReason = { rule: "ml_model", detail: `model score ${modelScore}${top ? ` (top factors: ${top})` : ""}`, weight: modelScore };

  const aml = runAmlRules(
    {
      subjectType: "payment",
      amountMinor: input.amountMinor,
      currency: input.currency,
      amountUsdMinor,
      occurredAt: input.occurredAt,
      customerHistory: input.customerId ? await customerMovements(input.merchantId, input.customerId, input.occurredAt, settings.rules.aml) : [],
      wallet: null,
      travelRule: null,
    },
    settings.rules.aml,
  );

  const decided = decideOutcome({
    modelScore,
    modelReason,
    ruleResults: ruleResults.map((r) => r.result),
    aml,
    thresholds: { reviewThreshold: settings.reviewThreshold, blockThreshold: settings.blockThreshold },
  });

  const store = async (tx: Tx): Promise<PaymentRiskAssessment> => {
    const assessmentId = newRiskId("ra");
    await tx.riskAssessment.create({
      data: {
        id: assessmentId,
        merchantId: input.merchantId,
        subjectType: "payment",
        subjectId: input.paymentId ?? null,
        outcome: decided.outcome,
        score: decided.score,
        reasons: decided.reasons as unknown as Prisma.InputJsonValue,
        features: { input: featureInput, vector: features } as unknown as Prisma.InputJsonValue,
        modelVersion: model.version,
      },
    });
    let reviewId: string | undefined;
    if (decided.outcome === "review" && input.paymentId) {
      const review = await openReview(
        { merchantId: input.merchantId, subjectType: "payment", subjectId: input.paymentId, reasons: decided.reasons, amountMinor: input.amountMinor, currency: input.currency },
        tx,
      );
      reviewId = review.id;
    }
    return { ...decided, modelVersion: model.version, assessmentId, ...(reviewId ? { reviewId } : {}) };
  };
  return { ...decided, modelVersion: model.version, store };
}
