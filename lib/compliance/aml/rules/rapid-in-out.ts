// Rapid in-and-out: money that entered a customer wallet leaves it again within the window (pass-through).
import { formatUsd, type AmlRule } from "./aml-rule";

export const rapidInOutRule: AmlRule = {
  name: "aml_rapid_in_out",
  evaluate(facts, config) {
    if (facts.subjectType !== "transfer" || !facts.wallet || facts.amountUsdMinor === null) return [];
    const { minInflowUsdMinor, outflowFraction, windowHours } = config.rapidInOut;
    const inflow = facts.wallet.inflowUsdMinor;
    if (inflow < minInflowUsdMinor || inflow === 0n) return [];
    const outflow = facts.wallet.outflowUsdMinor + facts.amountUsdMinor;
    // outflow / inflow >= fraction, in integers (basis points).
    if (outflow * 10_000n < inflow * BigInt(Math.round(outflowFraction * 10_000))) return [];
    return [{ rule: "aml_rapid_in_out", detail: `${formatUsd(outflow)} out of a wallet that received ${formatUsd(inflow)} within ${windowHours} h`, weight: 0 }];
  },
};
