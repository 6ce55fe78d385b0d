// Exact decimal strings and rationals over bigint, with explicit rounding: the arithmetic under Money.
import { MoneyError } from "./errors";

export const ROUNDING_MODES = ["half_even", "half_up", "down", "up", "floor", "ceiling"] as const;

/**
 * half_even: to nearest, ties to the even neighbour (banker's rounding)
 * half_up:   to nearest, ties away from zero
 * down:      toward zero (truncate)      up:      away from zero
 * floor:     toward −∞                   ceiling: toward +∞
 */
export type RoundingMode = (typeof ROUNDING_MODES)[number];

/** numerator / denominator, denominator > 0. Not necessarily reduced. */
export type Rational = { readonly numerator: bigint; readonly denominator: bigint };

/** Long enough for any bigint amount or any sane FX rate; a limit so input cannot grow unbounded. */
export const DECIMAL_STRING_LENGTH_MAX = 64;

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Splits "-12.340" into its sign, integer digits and fraction digits; throws `invalid_amount` otherwise. */
export function splitDecimalString(input: string, what = "decimal"): { negative: boolean; integerDigits: string; fractionDigits: string } {
  if (typeof input !== "string" || input.length === 0 || input.length > DECIMAL_STRING_LENGTH_MAX) {
    throw new MoneyError("invalid_amount", `${what} must be a non-empty decimal string of at most ${DECIMAL_STRING_LENGTH_MAX} characters`);
  }
  const match = DECIMAL_PATTERN.exec(input);
  if (match === null) {
    throw new MoneyError("invalid_amount", `${what} must look like 12 or -12.34 (digits, optional '-', optional '.' fraction; no exponent, spaces or separators)`);
  }
  return { negative: match[1] === "-", integerDigits: match[2]!, fractionDigits: match[3] ?? "" };
}

/** "1.25" → 125/100 exactly. No floats are involved at any point. */
export function parseDecimal(input: string, what = "decimal"): Rational {
  const { negative, integerDigits, fractionDigits } = splitDecimalString(input, what);
  const magnitude = BigInt(integerDigits + fractionDigits);
  return { numerator: negative ? -magnitude : magnitude, denominator: 10n ** BigInt(fractionDigits.length) };
}

export function toRational(value: Rational | string | bigint, what = "factor"): Rational {
  if (typeof value === "bigint") return { numerator: value, denominator: 1n };
  if (typeof value === "string") return parseDecimal(value, what);
  if (typeof value !== "object" || value === null || typeof value.numerator !== "bigint" || typeof value.denominator !== "bigint") {
    throw new MoneyError("invalid_amount", `${what} must be a decimal string, a bigint or a { numerator, denominator } of bigints`);
  }
  if (value.denominator === 0n) throw new MoneyError("division_by_zero", `${what} has a zero denominator`);
  return value.denominator < 0n ? { numerator: -value.numerator, denominator: -value.denominator } : value;
}

/** numerator / denominator rounded to an integer by `mode`. Exact for any size. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  assertRoundingMode(mode);
  if (denominator === 0n) throw new MoneyError("division_by_zero", "division by zero");
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator; // has the sign of numerator
  if (remainder === 0n) return quotient;
  const awayFromZero = numerator < 0n ? quotient - 1n : quotient + 1n;
  const twiceRemainder = remainder < 0n ? -2n * remainder : 2n * remainder;
  switch (mode) {
    case "down":
      return quotient;
    case "up":
      return awayFromZero;
    case "floor":
      return numerator < 0n ? awayFromZero : quotient;
    case "ceiling":
      return numerator > 0n ? awayFromZero : quotient;
    case "half_up":
      return twiceRemainder >= denominator ? awayFromZero : quotient;
    case "half_even":
      if (twiceRemainder > denominator) return awayFromZero;
      if (twiceRemainder < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
  }
}

/** Callers from plain JavaScript can pass anything; a missing mode must not silently mean one of them. */
export function assertRoundingMode(mode: unknown): asserts mode is RoundingMode {
  if (!(ROUNDING_MODES as readonly unknown[]).includes(mode)) {
    throw new MoneyError("invalid_amount", `unknown rounding mode ${JSON.stringify(mode)}; use one of ${ROUNDING_MODES.join(", ")}`);
  }
}
