// Every fraud rule, in evaluation order, and how their results combine with the model's score.
import type { RiskSettings } from "../risk-settings";
import { billingCountryMismatchRule } from "./billing-country-mismatch";
import { geoAnomalyRule } from "./geo-anomaly";
import { merchantListsRule } from "./merchant-lists";
import type { RuleFacts, RuleResult } from "./rule";
import { velocityRule } from "./velocity";

export function runFraudRules(facts: RuleFacts, rules: RiskSettings["rules"]): { name: string; result: RuleResult }[] {
  return [
    { name: velocityRule.name, result: velocityRule.evaluate(facts, rules.velocity) },
    { name: merchantListsRule.name, result: merchantListsRule.evaluate(facts, rules.merchant_lists) },
    { name: geoAnomalyRule.name, result: geoAnomalyRule.evaluate(facts, rules.geo_anomaly) },
    { name: billingCountryMismatchRule.name, result: billingCountryMismatchRule.evaluate(facts, rules.billing_country_mismatch) },
  ];
}
