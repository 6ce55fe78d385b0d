// The merchant's own allow and block lists (emails, card fingerprints, IPs, countries). A block-list hit
// blocks (answered card_declined, so the list is not revealed); an allow-list hit, with no block-list
// hit, lets the payment through whatever the score. Velocity blocks and AML holds still apply.
import { z } from "zod";
import { NO_HIT, type FraudRule } from "./rule";

export const ZMerchantListsConfig = z.object({ enabled: z.boolean().default(true) });
export type MerchantListsConfig = z.output<typeof ZMerchantListsConfig>;

export const merchantListsRule: FraudRule<MerchantListsConfig> = {
  name: "merchant_lists",
  configSchema: ZMerchantListsConfig,
  evaluate(facts, config) {
    if (!config.enabled || facts.listMatches.length === 0) return NO_HIT;
    const blocked = facts.listMatches.filter((entry) => entry.listType === "block");
    if (blocked.length > 0) {
      return {
        weight: 0,
        reasons: blocked.map((entry) => ({ rule: "block_list", detail: `${entry.kind} ${entry.value} is on the block list`, weight: 0 })),
        block: { code: "card_declined" },
      };
    }
    return {
      weight: 0,
      reasons: facts.listMatches.map((entry) => ({ rule: "allow_list", detail: `${entry.kind} ${entry.value} is on the allow list`, weight: 0 })),
      allow: true,
    };
  },
};
