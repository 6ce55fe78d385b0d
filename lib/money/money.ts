// Money as bigint minor units plus an ISO 4217 currency, and the arithmetic allowed on it.
import { type CurrencyCode, getCurrency } from "./currencies";
import { assertRoundingMode, divideRounded, type Rational, type RoundingMode, toRational } from "./decimal";
import { MoneyError } from "./errors";

export type Money = { readonly amountMinor: bigint; readonly currency: CurrencyCode };

/** PostgreSQL bigint bounds: every amount we create must be storable as-is. */
export const AMOUNT_MINOR_MAX = 9223372036854775807n;
export const AMOUNT_MINOR_MIN = -9223372036854775808n;

/** Limits on inputs that grow: number of parts in an allocation or split. */
export const ALLOCATION_PARTS_MAX = 10_000;

export function assertAmountInRange(amountMinor: bigint): bigint {
  if (typeof amountMinor !== "bigint") {
    throw new MoneyError("invalid_amount", `amountMinor must be a bigint, got ${typeof amountMinor}`);
  }
  if (amountMinor > AMOUNT_MINOR_MAX || amountMinor < AMOUNT_MINOR_MIN) {
    throw new MoneyError("amount_overflow", `amount ${amountMinor} minor units does not fit a 64-bit signed integer`);
  }
  return amountMinor;
}

/** The one way to build a Money: checks the currency is known and the amount fits a PostgreSQL bigint. */
export function createMoney(amountMinor: bigint, currency: CurrencyCode | string): Money {
  const { code } = getCurrency(currency);
  return Object.freeze({ amountMinor: assertAmountInRange(amountMinor), currency: code });
}

export function zeroMoney(currency: CurrencyCode): Money {
  return createMoney(0n, currency);
}

function assertSameCurrency(left: Money, right: Money, operation: string): void {
  if (left.currency !== right.currency) {
    throw new MoneyError("currency_mismatch", `cannot ${operation} ${left.currency} and ${right.currency}`);
  }
}

export function add(left: Money, right: Money): Money {
  assertSameCurrency(left, right, "add");
  return createMoney(left.amountMinor + right.amountMinor, left.currency);
}

export function subtract(left: Money, right: Money): Money {
  assertSameCurrency(left, right, "subtract");
  return createMoney(left.amountMinor - right.amountMinor, left.currency);
}

/** Negating the PostgreSQL minimum overflows, like in the database. */
export function negate(amount: Money): Money {
  return createMoney(-amount.amountMinor, amount.currency);
}

/** Sum of a list of amounts in `currency` (the currency is explicit so an empty list has one). */
export function sum(currency: CurrencyCode, amounts: readonly Money[]): Money {
  let total = 0n;
  for (const amount of amounts) {
    if (amount.currency !== currency) {
      throw new MoneyError("currency_mismatch", `cannot sum ${amount.currency} into ${currency}`);
    }
    total += amount.amountMinor;
  }
  return createMoney(total, currency);
}

/** -1, 0 or 1, for Array.prototype.sort too. */
export function compare(left: Money, right: Money): -1 | 0 | 1 {
  assertSameCurrency(left, right, "compare");
  if (left.amountMinor < right.amountMinor) return -1;
  return left.amountMinor > right.amountMinor ? 1 : 0;
}

export function equals(left: Money, right: Money): boolean {
  return left.currency === right.currency && left.amountMinor === right.amountMinor;
}

export function isZero(amount: Money): boolean {
  return amount.amountMinor === 0n;
}

export function isNegative(amount: Money): boolean {
  return amount.amountMinor < 0n;
}

/** amount × factor, rounded to a whole minor unit. `factor` is "1.075", 3n or an exact rational. */
export function multiply(amount: Money, factor: Rational | string | bigint, rounding: RoundingMode): Money {
  assertRoundingMode(rounding);
  const { numerator, denominator } = toRational(factor, "factor");
  return createMoney(divideRounded(amount.amountMinor * numerator, denominator, rounding), amount.currency);
}

/**
 * amount × bps / 10 000: a fee or tax rate in basis points (290 = 2.90 %). Fractional basis points
 * go in as a decimal string ("12.5").
 */
export function applyBasisPoints(amount: Money, basisPoints: bigint | number | string, rounding: RoundingMode): Money {
  const bps = toRational(toBigIntOrDecimal(basisPoints, "basis points"), "basis points");
  return multiply(amount, { numerator: bps.numerator, denominator: bps.denominator * 10_000n }, rounding);
}

/**
 * Converts at `rate` units of `toCurrency` per one unit of the source currency (major units, as
 * quoted: "149.5" JPY per USD). Differing exponents are accounted for exactly:
 *   targetMinor = sourceMinor × rate × 10^targetExponent / 10^sourceExponent, then rounded once.
 */
export function convert(
  amount: Money,
  toCurrency: CurrencyCode,
  rate: Rational | string | null | undefined,
  rounding: RoundingMode,
): Money {
  assertRoundingMode(rounding);
  if (rate === undefined || rate === null || rate === "") {
    throw new MoneyError("fx_rate_missing", `no exchange rate given for ${amount.currency} → ${toCurrency}`);
  }
  const { numerator, denominator } = toRational(rate, "exchange rate");
  if (numerator <= 0n) {
    throw new MoneyError("invalid_amount", `exchange rate for ${amount.currency} → ${toCurrency} must be positive`);
  }
  const sourceExponent = BigInt(getCurrency(amount.currency).exponent);
  const targetExponent = BigInt(getCurrency(toCurrency).exponent);
  const targetMinor = divideRounded(
    amount.amountMinor * numerator * 10n ** targetExponent,
    denominator * 10n ** sourceExponent,
    rounding,
  );
  return createMoney(targetMinor, toCurrency);
}

/**
 * Splits `amount` in proportion to non-negative integer `ratios` without losing or inventing a minor
 * unit: each part gets the floor of its exact share, and the units left over go one each to the
 * parts with the largest remainders (ties: the earlier part). Negative amounts split their magnitude
 * the same way, so the result is the mirror image of the positive split.
 */
export function allocate(amount: Money, ratios: readonly (bigint | number)[]): Money[] {
  if (!Array.isArray(ratios) || ratios.length === 0 || ratios.length > ALLOCATION_PARTS_MAX) {
    throw new MoneyError("invalid_amount", `ratios must be a list of 1 to ${ALLOCATION_PARTS_MAX} weights`);
  }
  const weights = ratios.map((ratio) => {
    const weight = toBigIntStrict(ratio, "ratio");
    if (weight < 0n) throw new MoneyError("invalid_amount", "ratios must not be negative");
    return weight;
  });
  const totalWeight = weights.reduce((total, weight) => total + weight, 0n);
  if (totalWeight === 0n) throw new MoneyError("division_by_zero", "ratios must not all be zero");

  const negative = amount.amountMinor < 0n;
  const magnitude = negative ? -amount.amountMinor : amount.amountMinor;
  const parts = weights.map((weight) => (magnitude * weight) / totalWeight);
  const remainders = weights.map((weight) => (magnitude * weight) % totalWeight);
  let leftover = magnitude - parts.reduce((total, part) => total + part, 0n);

  // leftover < number of parts with a non-zero remainder, so nobody gets more than one extra unit.
  const order = weights
    .map((_, index) => index)
    .sort((left, right) => (remainders[left]! === remainders[right]! ? left - right : remainders[left]! > remainders[right]! ? -1 : 1));
  for (const index of order) {
    if (leftover === 0n) break;
    parts[index]! += 1n;
    leftover -= 1n;
  }
  return parts.map((part) => createMoney(negative ? -part : part, amount.currency));
}

/** n parts that differ by at most one minor unit, larger parts first. */
export function splitEvenly(amount: Money, n: number | bigint): Money[] {
  const count = toBigIntStrict(n, "number of parts");
  if (count === 0n) throw new MoneyError("division_by_zero", "cannot split into zero parts");
  if (count < 0n || count > BigInt(ALLOCATION_PARTS_MAX)) {
    throw new MoneyError("invalid_amount", `number of parts must be between 1 and ${ALLOCATION_PARTS_MAX}`);
  }
  return allocate(amount, Array.from({ length: Number(count) }, () => 1n));
}

function toBigIntStrict(value: bigint | number, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new MoneyError("invalid_amount", `${what} must be an integer (bigint or safe integer number), got ${String(value)}`);
}

function toBigIntOrDecimal(value: bigint | number | string, what: string): bigint | string {
  return typeof value === "string" ? value : toBigIntStrict(value, what);
}
