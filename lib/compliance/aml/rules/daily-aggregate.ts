// A customer's payments and transfers over a rolling 24 hours (this one included) reach the daily threshold.
import { formatUsd, type AmlRule } from "./aml-rule";

const DAY_MS = 86_400_000;

export const dailyAggregateRule: AmlRule = {
  name: "aml_daily_aggregate",
  evaluate(facts, config) {
    if (facts.amountUsdMinor === null) return [];
    const since = facts.occurredAt.getTime() - DAY_MS;
    let total = facts.amountUsdMinor;
    for (const movement of facts.customerHistory) {
      const at = movement.occurredAt.getTime();
      if (at > since && at <= facts.occurredAt.getTime() && movement.amountUsdMinor !== null) total += movement.amountUsdMinor;
    }
    if (total < config.dailyAggregateUsdMinor || facts.customerHistory.length === 0) return [];
    return [{ rule: "aml_daily_aggregate", detail: `customer moved ${formatUsd(total)} within 24 hours (threshold ${formatUsd(config.dailyAggregateUsdMinor)})`, weight: 0 }];
  },
};
