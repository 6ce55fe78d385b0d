// Travel rule: a transfer at or above the threshold must carry the originator's and the beneficiary's
// names. The threshold is in the transfer's own currency where configured (1,000 USD, 1,000 EUR by
// default), otherwise the USD threshold applied to the USD-equivalent.
import type { AmlRule } from "./aml-rule";

export function travelRuleApplies(facts: { amountMinor: bigint; currency: string; amountUsdMinor: bigint | null }, thresholds: Record<string, bigint>): boolean {
  const own = thresholds[facts.currency];
  if (own !== undefined) return facts.amountMinor >= own;
  const usd = thresholds.USD;
  return usd !== undefined && facts.amountUsdMinor !== null && facts.amountUsdMinor >= usd;
}

export const travelRule: AmlRule = {
  name: "aml_travel_rule",
  evaluate(facts, config) {
    if (facts.subjectType !== "transfer" || !travelRuleApplies(facts, config.travelRuleThresholdsMinor)) return [];
    const missing = [
      !facts.travelRule?.originatorName?.trim() && "originator name",
      !facts.travelRule?.beneficiaryName?.trim() && "beneficiary name",
    ].filter(Boolean);
    if (missing.length === 0) return [];
    return [{ rule: "aml_travel_rule", detail: `transfer at or above the travel-rule threshold lacks ${missing.join(" and ")}`, weight: 0 }];
  },
};
