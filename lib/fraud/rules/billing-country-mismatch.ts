// The billing address's country differs from the country the IP address is in.
import { z } from "zod";
import { NO_HIT, type FraudRule } from "./rule";

export const ZBillingCountryMismatchConfig = z.object({ weight: z.number().int().min(0).max(100).default(15) });
export type BillingCountryMismatchConfig = z.output<typeof ZBillingCountryMismatchConfig>;

export const billingCountryMismatchRule: FraudRule<BillingCountryMismatchConfig> = {
  name: "billing_country_mismatch",
  configSchema: ZBillingCountryMismatchConfig,
  evaluate(facts, config) {
    const billing = facts.input.billingCountry;
    const ipCountry = facts.ipLocation?.country;
    if (!billing || !ipCountry || billing === ipCountry) return NO_HIT;
    return { weight: config.weight, reasons: [{ rule: "billing_country_mismatch", detail: `billing country ${billing}, IP in ${ipCountry}`, weight: config.weight }] };
  },
};
