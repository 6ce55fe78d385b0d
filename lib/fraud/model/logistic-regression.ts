// Logistic regression: scoring, deterministic batch gradient-descent training, and the evaluation
// metrics written to lib/fraud/MODEL.md. Pure TypeScript, no native code.
import { createHash } from "node:crypto";
import { FEATURE_NAMES } from "./features";

export type FraudModel = {
  version: string;
  kind: "logistic_regression";
  featureNames: string[];
  weights: number[];
  bias: number;
  /** Model probability thresholds the score (0–100) is derived from: score = round(100 · p). */
  training: { seed: number; samples: number; epochs: number; learningRate: number; l2: number };
  metrics: ModelMetrics;
};

export type ModelMetrics = {
  testSamples: number;
  testFraudRate: number;
  rocAuc: number;
  /** At the default block threshold (score ≥ 80). */
  precisionAtBlock: number;
  recallAtBlock: number;
  /** At the default review threshold (score ≥ 50). */
  precisionAtReview: number;
  recallAtReview: number;
};

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function predictProbability(model: Pick<FraudModel, "weights" | "bias">, features: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < model.weights.length; i++) z += model.weights[i]! * (features[i] ?? 0);
  return sigmoid(z);
}

export function scoreFromProbability(probability: number): number {
  return Math.max(0, Math.min(100, Math.round(probability * 100)));
}

/** The features that pushed this score up the most, for the reasons shown to reviewers. */
export function topContributions(model: Pick<FraudModel, "weights" | "featureNames">, features: readonly number[], count = 3): { feature: string; contribution: number }[] {
  return model.weights
    .map((weight, i) => ({ feature: model.featureNames[i] ?? `f${i}`, contribution: weight * (features[i] ?? 0) }))
    .filter((item) => item.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, count);
}

export type TrainOptions = { epochs: number; learningRate: number; l2: number };

/** Full-batch gradient descent from zero weights: the same data always gives the same model. */
export function trainLogisticRegression(xs: readonly number[][], ys: readonly number[], options: TrainOptions): { weights: number[]; bias: number } {
  const n = xs.length;
  const d = xs[0]?.length ?? 0;
  const weights = new Array<number>(d).fill(0);
  let bias = 0;
  const gradient = new Array<number>(d);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      const error = predictProbability({ weights, bias }, x) - ys[i]!;
      for (let j = 0; j < d; j++) gradient[j]! += error * x[j]!;
      biasGradient += error;
    }
    for (let j = 0; j < d; j++) weights[j] = weights[j]! - options.learningRate * (gradient[j]! / n + options.l2 * weights[j]!);
    bias -= options.learningRate * (biasGradient / n);
  }
  return { weights, bias };
}

/** ROC AUC by the rank statistic (ties count half). */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const pairs = scores.map((score, i) => ({ score, label: labels[i]! })).sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  let positives = 0;
  for (let i = 0; i < pairs.length; ) {
    let j = i;
    while (j < pairs.length && pairs[j]!.score === pairs[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (pairs[k]!.label === 1) {
      rankSumPositive += averageRank;
      positives++;
    }
    i = j;
  }
  const negatives = pairs.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function precisionRecallAt(scores: readonly number[], labels: readonly number[], threshold: number): { precision: number; recall: number } {
  let truePositive = 0;
  let flagged = 0;
  let positives = 0;
  scores.forEach((score, i) => {
    if (labels[i] === 1) positives++;
    if (score >= threshold) {
      flagged++;
      if (labels[i] === 1) truePositive++;
    }
  });
  return { precision: flagged === 0 ? 1 : truePositive / flagged, recall: positives === 0 ? 1 : truePositive / positives };
}

const round = (value: number, places = 6) => Number(value.toFixed(places));

/** A version that changes whenever the learned parameters do. */
export function modelVersion(weights: readonly number[], bias: number): string {
  const digest = createHash("sha256").update(JSON.stringify([...weights.map((w) => round(w)), round(bias)])).digest("hex").slice(0, 10);
  return `fraud-lr-1.${digest}`;
}

export function buildModel(
  trained: { weights: number[]; bias: number },
  training: FraudModel["training"],
  metrics: ModelMetrics,
): FraudModel {
  const weights = trained.weights.map((w) => round(w));
  const bias = round(trained.bias);
  return { version: modelVersion(weights, bias), kind: "logistic_regression", featureNames: [...FEATURE_NAMES], weights, bias, training, metrics };
}
