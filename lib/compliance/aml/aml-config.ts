// AML monitoring configuration: defaults below, overridable per merchant in risk_settings.rules.aml.
// Amounts are minor units of USD (USD-equivalent at the reference FX rate in force), written in JSON as
// integers or digit strings and held as bigint.
import { z } from "zod";

const ZMinor = z
  .union([z.string().regex(/^\d{1,18}$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.bigint().nonnegative()])
  .transform((value) => BigInt(value));

export const ZAmlConfig = z.object({
  /** Single payment or transfer at or above this is held (currency-transaction-report style). */
  reportThresholdUsdMinor: ZMinor.default(1_000_000n),
  /** Transfers at or above this (in the transfer's own currency where listed, else USD-equivalent) must carry originator and beneficiary. */
  travelRuleThresholdsMinor: z.record(z.string().length(3), ZMinor).default({ USD: 100_000n, EUR: 100_000n }),
  /** A customer's payments and transfers over a rolling 24 hours, this one included. */
  dailyAggregateUsdMinor: ZMinor.default(1_000_000n),
  structuring: z
    .object({
      /** Amounts in [lowerFraction × report threshold, report threshold) count as "just under". */
      lowerFraction: z.number().gt(0).lt(1).default(0.9),
      /** This many just-under amounts (this one included) within the window is a hit. */
      countMin: z.number().int().min(2).max(100).default(3),
      windowHours: z.number().positive().max(24 * 90).default(72),
    })
    .prefault({}),
  rapidInOut: z
    .object({
      windowHours: z.number().positive().max(24 * 30).default(24),
      /** Ignore wallets that received less than this in the window. */
      minInflowUsdMinor: ZMinor.default(100_000n),
      /** Outflows (this transfer included) reaching this share of the window's inflows is a hit. */
      outflowFraction: z.number().gt(0).max(1).default(0.8),
    })
    .prefault({}),
  /** Without an FX rate the USD-equivalent is unknown: "flag" notes it; "review" holds the movement. */
  missingFxRate: z.enum(["flag", "review"]).default("flag"),
});
export type AmlConfig = z.output<typeof ZAmlConfig>;
export type TAmlConfigInput = z.input<typeof ZAmlConfig>;

export function parseAmlConfig(value: unknown): AmlConfig {
  return ZAmlConfig.parse(value ?? {});
}
