// Every AML monitoring rule, in the order their reasons are listed.
import type { AmlConfig } from "../aml-config";
import type { RiskReason } from "@/lib/fraud/assess-payment-risk.types";
import type { AmlFacts, AmlRule } from "./aml-rule";
import { dailyAggregateRule } from "./daily-aggregate";
import { rapidInOutRule } from "./rapid-in-out";
import { reportThresholdRule } from "./report-threshold";
import { structuringRule } from "./structuring";
import { travelRule } from "./travel-rule";

export const AML_RULES: AmlRule[] = [reportThresholdRule, travelRule, dailyAggregateRule, structuringRule, rapidInOutRule];

/** Runs every rule. `hold` is true when the movement must wait for a human decision. */
export function runAmlRules(facts: AmlFacts, config: AmlConfig): { hold: boolean; reasons: RiskReason[] } {
  const reasons = AML_RULES.flatMap((rule) => rule.evaluate(facts, config));
  let hold = reasons.length > 0;
  if (facts.amountUsdMinor === null && facts.currency !== "USD") {
    reasons.push({ rule: "aml_fx_rate_missing", detail: `no ${facts.currency}→USD rate loaded; USD-equivalent thresholds could not be checked`, weight: 0 });
    if (config.missingFxRate === "review") hold = true;
  }
  return { hold, reasons };
}
export type { AmlFacts, AmlMovement } from "./aml-rule";
