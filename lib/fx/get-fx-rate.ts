// The FX rate in force at a moment: the latest loaded rate at or before it, used directly, inverted,
// or crossed through USD. No rate is an error (fx_rate_missing), never an implicit 1.0.
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { divideRounded, parseDecimal, type Rational } from "@/lib/money";
import { querySql, type SqlClient } from "@/lib/ledger/sql";

/** Derived (inverted or crossed) rates are rounded to this many decimal places. */
export const FX_RATE_DECIMALS = 18;
const CROSS_CURRENCY = "USD";

export type FxRate = {
  base: string;
  quote: string;
  /** Units of `quote` per unit of `base`, as an exact decimal string. */
  rate: string;
  source: string;
  /** When the rate (for a derived rate: its older leg) was observed. */
  asOf: Date;
  derivation: "direct" | "inverse" | "cross" | "identity";
};

type RateRow = { base: string; quote: string; rate: string; source: string; as_of: Date };

export function rationalToDecimalString(value: Rational, decimals = FX_RATE_DECIMALS): string {
  const scaled = divideRounded(value.numerator * 10n ** BigInt(decimals), value.denominator, "half_even");
  const digits = scaled.toString().padStart(decimals + 1, "0");
  const integer = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return fraction ? `${integer}.${fraction}` : integer;
}

/** "0.921500000000000000" → "0.9215" (numeric(38,18) always prints 18 places). */
function trimDecimal(value: string): string {
  return value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value;
}

function invert(value: Rational): Rational {
  return { numerator: value.denominator, denominator: value.numerator };
}

export type GetFxRateOptions = {
  client?: SqlClient;
  /** Refuse rates observed longer than this before `at`. */
  maxAgeMs?: number;
};

export async function getFxRate(from: string, to: string, at: Date = new Date(), options: GetFxRateOptions = {}): Promise<FxRate> {
  if (from === to) return { base: from, quote: to, rate: "1", source: "identity", asOf: at, derivation: "identity" };
  const currencies = [...new Set([from, to, CROSS_CURRENCY])];
  const rows = await querySql<RateRow>(
    options.client ?? sqlPool(),
    `SELECT DISTINCT ON (base, quote) base::text AS base, quote::text AS quote, rate::text AS rate, source, as_of
     FROM fx_rates
     WHERE base = ANY($1::text[]) AND quote = ANY($1::text[]) AND as_of <= $2::timestamptz
     ORDER BY base, quote, as_of DESC, imported_at DESC, id DESC`,
    [currencies, at.toISOString()],
  );
  const oldestAllowed = options.maxAgeMs === undefined ? null : at.getTime() - options.maxAgeMs;
  const usable = rows.filter((row) => oldestAllowed === null || row.as_of.getTime() >= oldestAllowed);
  const leg = (base: string, quote: string): { rate: Rational; row: RateRow } | null => {
    const direct = usable.find((row) => row.base === base && row.quote === quote);
    if (direct) return { rate: parseDecimal(direct.rate), row: direct };
    const inverse = usable.find((row) => row.base === quote && row.quote === base);
    if (inverse) return { rate: invert(parseDecimal(inverse.rate)), row: inverse };
    return null;
  };

  const direct = usable.find((row) => row.base === from && row.quote === to);
  if (direct) return { base: from, quote: to, rate: trimDecimal(direct.rate), source: direct.source, asOf: direct.as_of, derivation: "direct" };
  const single = leg(from, to);
  if (single) {
    return { base: from, quote: to, rate: rationalToDecimalString(single.rate), source: single.row.source, asOf: single.row.as_of, derivation: "inverse" };
  }
  if (from !== CROSS_CURRENCY && to !== CROSS_CURRENCY) {
    const first = leg(from, CROSS_CURRENCY);
    const second = leg(CROSS_CURRENCY, to);
    if (first && second) {
      const rate = { numerator: first.rate.numerator * second.rate.numerator, denominator: first.rate.denominator * second.rate.denominator };
      const sources = [...new Set([first.row.source, second.row.source])].join("+");
      return {
        base: from,
        quote: to,
        rate: rationalToDecimalString(rate),
        source: `${sources} via ${CROSS_CURRENCY}`,
        asOf: first.row.as_of < second.row.as_of ? first.row.as_of : second.row.as_of,
        derivation: "cross",
      };
    }
  }
  throw new AppError(
    "fx_rate_missing",
    `No ${from}→${to} exchange rate is loaded for ${at.toISOString()}${options.maxAgeMs === undefined ? "" : ` (rates older than ${options.maxAgeMs} ms are not used)`}. Load rates with importFxRatesCsv.`,
    { param: "currency" },
  );
}
