// Trains and evaluates the fraud model on the synthetic data set: 70/30 split, logistic regression,
// ROC AUC and precision/recall at the default thresholds on the held-out part.
import { extractFeatures } from "./features";
import { buildModel, precisionRecallAt, predictProbability, rocAuc, scoreFromProbability, trainLogisticRegression, type FraudModel } from "./logistic-regression";
import { generateSyntheticTransactions } from "./synthetic-data";

export const TRAINING_DEFAULTS = { seed: 20261126, samples: 20_000, epochs: 600, learningRate: 2, l2: 0.0005 } as const;
export const DEFAULT_REVIEW_THRESHOLD = 50;
export const DEFAULT_BLOCK_THRESHOLD = 80;

export function trainFraudModel(options: Partial<typeof TRAINING_DEFAULTS> = {}): FraudModel {
  const settings = { ...TRAINING_DEFAULTS, ...options };
  const samples = generateSyntheticTransactions(settings.seed, settings.samples);
  const split = Math.floor(samples.length * 0.7);
  const train = samples.slice(0, split);
  const test = samples.slice(split);
  const trained = trainLogisticRegression(
    train.map((s) => extractFeatures(s.input)),
    train.map((s) => s.label),
    { epochs: settings.epochs, learningRate: settings.learningRate, l2: settings.l2 },
  );
  const scores = test.map((s) => scoreFromProbability(predictProbability(trained, extractFeatures(s.input))));
  const labels = test.map((s) => s.label);
  const atBlock = precisionRecallAt(scores, labels, DEFAULT_BLOCK_THRESHOLD);
  const atReview = precisionRecallAt(scores, labels, DEFAULT_REVIEW_THRESHOLD);
  const r = (value: number) => Number(value.toFixed(4));
  return buildModel(trained, settings, {
    testSamples: test.length,
    testFraudRate: r(labels.filter((l) => l === 1).length / labels.length),
    rocAuc: r(rocAuc(scores, labels)),
    precisionAtBlock: r(atBlock.precision),
    recallAtBlock: r(atBlock.recall),
    precisionAtReview: r(atReview.precision),
    recallAtReview: r(atReview.recall),
  });
}
