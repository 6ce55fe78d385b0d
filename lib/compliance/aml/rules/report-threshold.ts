// A single payment or transfer at or above the report threshold (USD-equivalent).
import { formatUsd, type AmlRule } from "./aml-rule";

export const reportThresholdRule: AmlRule = {
  name: "aml_report_threshold",
  evaluate(facts, config) {
    if (facts.amountUsdMinor === null || facts.amountUsdMinor < config.reportThresholdUsdMinor) return [];
    return [{ rule: "aml_report_threshold", detail: `${formatUsd(facts.amountUsdMinor)} is at or above the ${formatUsd(config.reportThresholdUsdMinor)} report threshold`, weight: 0 }];
  },
};
