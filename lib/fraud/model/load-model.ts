// The fraud model in use: data/fraud-model.json, bundled at build time and checked once at start.
import { z } from "zod";
import modelJson from "@/data/fraud-model.json";
import { FEATURE_NAMES } from "./features";
import type { FraudModel } from "./logistic-regression";

const ZFraudModel = z.object({
  version: z.string().min(1),
  kind: z.literal("logistic_regression"),
  featureNames: z.array(z.string()).refine((names) => names.join() === FEATURE_NAMES.join(), "feature names differ from lib/fraud/model/features.ts"),
  weights: z.array(z.number().finite()).length(FEATURE_NAMES.length),
  bias: z.number().finite(),
  training: z.object({ seed: z.number(), samples: z.number(), epochs: z.number(), learningRate: z.number(), l2: z.number() }),
  metrics: z.object({
    testSamples: z.number(), testFraudRate: z.number(), rocAuc: z.number(), precisionAtBlock: z.number(),
    recallAtBlock: z.number(), precisionAtReview: z.number(), recallAtReview: z.number(),
  }),
});

let model: FraudModel | undefined;

export function getFraudModel(): FraudModel {
  model ??= ZFraudModel.parse(modelJson) as FraudModel;
  return model;
}
