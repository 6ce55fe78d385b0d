// The API rule "money never travels as a JS number it cannot hold exactly": parse and emit amounts.
import { z } from "zod";

import { AMOUNT_MINOR_MAX, AMOUNT_MINOR_MIN } from "./money";

const AMOUNT_MESSAGE = "amount must be an integer number of minor units, e.g. 1050 for 10.50 USD";
const INTEGER_STRING_PATTERN = /^-?(0|[1-9]\d*)$/;
const INTEGER_STRING_LENGTH_MAX = 20; // "-9223372036854775808"

export type AmountSign = "any" | "positive" | "non_negative";

/**
 * Request-body amount in minor units → bigint. Takes a JSON integer up to Number.MAX_SAFE_INTEGER,
 * or a string of digits with optional '-' for anything larger (up to the PostgreSQL bigint range).
 * Refuses floats ("10.5"), NaN, Infinity, unsafe integers, exponent strings and leading zeros.
 */
export function amountMinorSchema(sign: AmountSign = "any") {
  return z.union([z.number(), z.string()], { error: AMOUNT_MESSAGE }).transform((value, context): bigint => {
    const amountMinor = toAmountMinor(value);
    if (amountMinor === undefined) {
      const hint =
        typeof value === "number" && Number.isInteger(value)
          ? `${AMOUNT_MESSAGE}; integers beyond ${Number.MAX_SAFE_INTEGER} must be sent as strings`
          : AMOUNT_MESSAGE;
      context.addIssue({ code: "custom", message: hint });
      return z.NEVER;
    }
    if (amountMinor > AMOUNT_MINOR_MAX || amountMinor < AMOUNT_MINOR_MIN) {
      context.addIssue({ code: "custom", message: `amount must be between ${AMOUNT_MINOR_MIN} and ${AMOUNT_MINOR_MAX} minor units` });
      return z.NEVER;
    }
    if (sign === "positive" && amountMinor <= 0n) {
      context.addIssue({ code: "custom", message: "amount must be greater than zero" });
      return z.NEVER;
    }
    if (sign === "non_negative" && amountMinor < 0n) {
      context.addIssue({ code: "custom", message: "amount must not be negative" });
      return z.NEVER;
    }
    return amountMinor;
  });
}

function toAmountMinor(value: number | string): bigint | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (value.length > INTEGER_STRING_LENGTH_MAX || !INTEGER_STRING_PATTERN.test(value)) return undefined;
  return BigInt(value);
}

export const ZAmountMinor = amountMinorSchema("any");
export const ZPositiveAmountMinor = amountMinorSchema("positive");
export const ZNonNegativeAmountMinor = amountMinorSchema("non_negative");

/** Response-body amount: a JSON number while exactly representable, a digit string beyond that. */
export function amountToJson(amountMinor: bigint): number | string {
  const safe = amountMinor <= BigInt(Number.MAX_SAFE_INTEGER) && amountMinor >= BigInt(Number.MIN_SAFE_INTEGER);
  return safe ? Number(amountMinor) : amountMinor.toString();
}
