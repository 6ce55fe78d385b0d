import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { extractFeatures, FEATURE_NAMES } from "./features";
import { getFraudModel } from "./load-model";
import { precisionRecallAt, predictProbability, rocAuc, scoreFromProbability } from "./logistic-regression";
import { createRandom, generateSyntheticTransactions } from "./synthetic-data";
import { trainFraudModel } from "./train";

describe("fraud model", () => {
  it("trains deterministically, and the committed model file is exactly what training produces", () => {
    const first = trainFraudModel();
    const second = trainFraudModel();
    expect(second).toEqual(first);
    const committed = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../../data/fraud-model.json"), "utf8"));
    expect(committed).toEqual(first);
    expect(getFraudModel().version).toBe(first.version);
  });

  it("separates the held-out synthetic data: ROC AUC above the floor, precise at the block threshold", () => {
    const { metrics } = getFraudModel();
    expect(metrics.rocAuc).toBeGreaterThan(0.9);
    expect(metrics.precisionAtBlock).toBeGreaterThan(0.8);
  });

  it("the seeded generator repeats itself and differs across seeds", () => {
    expect(generateSyntheticTransactions(7, 50)).toEqual(generateSyntheticTransactions(7, 50));
    expect(generateSyntheticTransactions(8, 50)).not.toEqual(generateSyntheticTransactions(7, 50));
    const random = createRandom(1);
    const values = Array.from({ length: 1000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it("scores a card-testing pattern far above an ordinary repeat purchase", () => {
    const model = getFraudModel();
    const ordinary = extractFeatures({
      amountUsd: 45, historyAverageAmountUsd: 50, priorSuccessCount: 6, failures24h: 0, attemptsLastHour: 0, distinctCardsForIp24h: 1,
      previousDistanceKm: 10, previousSpeedKmh: 1, localHour: 14, newCardForCustomer: false, emailDomain: "gmail.com", billingCountryMismatch: false, ipUnknown: false,
    });
    const testing = extractFeatures({
      amountUsd: 2, historyAverageAmountUsd: null, priorSuccessCount: 0, failures24h: 8, attemptsLastHour: 9, distinctCardsForIp24h: 7,
      previousDistanceKm: null, previousSpeedKmh: null, localHour: 3, newCardForCustomer: false, emailDomain: "mailinator.com", billingCountryMismatch: true, ipUnknown: true,
    });
    expect(ordinary).toHaveLength(FEATURE_NAMES.length);
    expect(scoreFromProbability(predictProbability(model, ordinary))).toBeLessThan(20);
    expect(scoreFromProbability(predictProbability(model, testing))).toBeGreaterThanOrEqual(80);
  });
});

describe("metrics", () => {
  it("ROC AUC: 1 for a perfect ranking, 0.5 for ties, 0 for an inverted one", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it("precision and recall count scores at the threshold as flagged", () => {
    expect(precisionRecallAt([80, 79, 90, 10], [1, 1, 0, 0], 80)).toEqual({ precision: 0.5, recall: 0.5 });
  });
});
