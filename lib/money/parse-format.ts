// Decimal strings ↔ minor units, and locale-aware display, exact for every bigint amount.
import { type CurrencyCode, getCurrency } from "./currencies";
import { splitDecimalString } from "./decimal";
import { MoneyError } from "./errors";
import { assertAmountInRange } from "./money";

/**
 * "12.34" USD → 1234n. Refuses more decimals than the currency has (`amount_precision`) instead of
 * rounding; refuses exponents, separators, spaces, '+', and empty input (`invalid_amount`).
 * Fewer decimals are padded ("12.3" USD → 1230n).
 */
export function parseMoney(input: string, currency: CurrencyCode | string): bigint {
  const { exponent, code } = getCurrency(currency);
  const { negative, integerDigits, fractionDigits } = splitDecimalString(input, "amount");
  if (fractionDigits.length > exponent) {
    throw new MoneyError(
      "amount_precision",
      exponent === 0
        ? `${code} has no minor unit; amount ${JSON.stringify(input)} must be a whole number`
        : `${code} allows at most ${exponent} decimal places; got ${JSON.stringify(input)}`,
    );
  }
  const magnitude = BigInt(integerDigits + fractionDigits.padEnd(exponent, "0"));
  return assertAmountInRange(negative ? -magnitude : magnitude);
}

/** 1234n USD → "12.34"; 1234n JPY → "1234"; -5n USD → "-0.05". Plain: for APIs and CSV, no grouping. */
export function formatMinor(amountMinor: bigint, currency: CurrencyCode | string): string {
  const { exponent } = getCurrency(currency);
  assertAmountInRange(amountMinor);
  const negative = amountMinor < 0n;
  const digits = (negative ? -amountMinor : amountMinor).toString();
  if (exponent === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(exponent + 1, "0");
  const plain = `${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
  return negative ? `-${plain}` : plain;
}

/**
 * Display string for people: "$1,234.56", "1.234,56 €", "￥1,235"… Always shows exactly the ISO
 * number of decimals (CLDR sometimes wants fewer, which would round). The amount goes to
 * Intl.NumberFormat as a decimal string, which ICU formats exactly, so values beyond 2^53 stay exact.
 */
export function formatMoney(amountMinor: bigint, currency: CurrencyCode | string, locale: string | readonly string[] = "en-US"): string {
  const { exponent, code } = getCurrency(currency);
  const formatter = new Intl.NumberFormat(locale as string | string[], {
    style: "currency",
    currency: code,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // String input is Intl.NumberFormat v3 (Node >= 19): ICU formats the decimal exactly, no Number in between.
  return formatter.format(formatMinor(amountMinor, code) as Intl.StringNumericLiteral);
}
