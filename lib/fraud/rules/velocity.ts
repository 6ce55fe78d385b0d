// Velocity: more than `failuresMax` failed attempts for one card fingerprint, customer, email or IP within
// `windowSeconds` trips a temporary block for `blockSeconds`. Attempts made while a block is active do not
// count (they were answered without the PSP), so a block always lifts blockSeconds after it tripped.
// Card, customer and email blocks answer card_declined; IP blocks answer rate_limited.
import { z } from "zod";
import { NO_HIT, type FraudRule, type PastAttempt, type RuleFacts, type RuleResult } from "./rule";

export const ZVelocityConfig = z.object({
  failuresMax: z.number().int().min(1).max(1000).default(3),
  windowSeconds: z.number().int().min(1).max(30 * 86_400).default(3_600),
  blockSeconds: z.number().int().min(1).max(30 * 86_400).default(3_600),
});
export type VelocityConfig = z.output<typeof ZVelocityConfig>;

type Dimension = "cardFingerprint" | "customerId" | "emailPseudonym" | "ipPseudonym";
const DIMENSIONS: { key: Dimension; valueOf: (facts: RuleFacts) => string | null | undefined; label: string; code: "card_declined" | "rate_limited" }[] = [
  { key: "cardFingerprint", valueOf: (facts) => facts.input.cardFingerprint, label: "card", code: "card_declined" },
  { key: "customerId", valueOf: (facts) => facts.input.customerId, label: "customer", code: "card_declined" },
  { key: "emailPseudonym", valueOf: (facts) => facts.pseudonyms.email, label: "email", code: "card_declined" },
  { key: "ipPseudonym", valueOf: (facts) => facts.pseudonyms.ipAddress, label: "IP address", code: "rate_limited" },
];

/**
 * When the latest block on this sequence of failure times (ascending, ms) ends, or null if none is active
 * at `nowMs`. A block trips at the failure that makes failuresMax + 1 counted failures in the window.
 */
export function activeBlockUntil(failureTimesMs: readonly number[], nowMs: number, config: VelocityConfig): number | null {
  const windowMs = config.windowSeconds * 1000;
  const blockMs = config.blockSeconds * 1000;
  const counted: number[] = [];
  let blockedUntil = -Infinity;
  for (const time of failureTimesMs) {
    if (time >= nowMs) break;
    if (time < blockedUntil) continue; // answered by the block itself, never reached the PSP
    counted.push(time);
    const inWindow = counted.filter((t) => time - t < windowMs);
    if (inWindow.length > config.failuresMax) {
      blockedUntil = time + blockMs;
      counted.length = 0;
    }
  }
  return nowMs < blockedUntil ? blockedUntil : null;
}

function failuresFor(history: readonly PastAttempt[], key: Dimension, value: string): number[] {
  return history
    .filter((attempt) => !attempt.succeeded && attempt[key] === value)
    .map((attempt) => attempt.occurredAt.getTime())
    .sort((a, b) => a - b);
}

export const velocityRule: FraudRule<VelocityConfig> = {
  name: "velocity",
  configSchema: ZVelocityConfig,
  evaluate(facts: RuleFacts, config: VelocityConfig): RuleResult {
    const nowMs = facts.input.occurredAt.getTime();
    for (const dimension of DIMENSIONS) {
      const value = dimension.valueOf(facts);
      if (!value) continue;
      const until = activeBlockUntil(failuresFor(facts.history, dimension.key, value), nowMs, config);
      if (until !== null) {
        const retryAfterSeconds = Math.max(1, Math.ceil((until - nowMs) / 1000));
        return {
          weight: 0,
          reasons: [
            {
              rule: "velocity",
              detail: `more than ${config.failuresMax} failed attempts for this ${dimension.label} within ${config.windowSeconds} s; blocked for ${retryAfterSeconds} s more`,
              weight: 0,
            },
          ],
          block: { code: dimension.code, retryAfterSeconds },
        };
      }
    }
    return NO_HIT;
  },
};
