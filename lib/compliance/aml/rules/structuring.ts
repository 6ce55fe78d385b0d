// Structuring: several amounts just under the report threshold within a window, as if split to avoid it.
import { formatUsd, type AmlRule } from "./aml-rule";

export function isJustUnder(amountUsdMinor: bigint, thresholdUsdMinor: bigint, lowerFraction: number): boolean {
  // lowerFraction to basis points so the comparison stays in integers.
  const lower = (thresholdUsdMinor * BigInt(Math.round(lowerFraction * 10_000))) / 10_000n;
  return amountUsdMinor >= lower && amountUsdMinor < thresholdUsdMinor;
}

export const structuringRule: AmlRule = {
  name: "aml_structuring",
  evaluate(facts, config) {
    const { lowerFraction, countMin, windowHours } = config.structuring;
    const threshold = config.reportThresholdUsdMinor;
    if (facts.amountUsdMinor === null || !isJustUnder(facts.amountUsdMinor, threshold, lowerFraction)) return [];
    const since = facts.occurredAt.getTime() - windowHours * 3_600_000;
    const earlier = facts.customerHistory.filter(
      (m) => m.amountUsdMinor !== null && m.occurredAt.getTime() > since && m.occurredAt.getTime() <= facts.occurredAt.getTime() && isJustUnder(m.amountUsdMinor, threshold, lowerFraction),
    );
    const count = earlier.length + 1;
    if (count < countMin) return [];
    return [{ rule: "aml_structuring", detail: `${count} amounts just under ${formatUsd(threshold)} within ${windowHours} h`, weight: 0 }];
  },
};
