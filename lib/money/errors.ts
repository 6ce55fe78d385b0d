// The one error type for expected failures in money handling; lib/api maps `code` to an HTTP status.

export const MONEY_ERROR_CODES = [
  // Two amounts in different currencies were combined (add, subtract, compare, sum).
  "currency_mismatch",
  // A currency code is not an active, transactional ISO 4217 code.
  "unknown_currency",
  // An amount has more decimal places than the currency's minor unit allows; we never round silently.
  "amount_precision",
  // A result falls outside a PostgreSQL bigint (±9223372036854775807 minor units).
  "amount_overflow",
  // Input is not a well-formed amount, decimal, rate, ratio or count (garbage, float, exponent, empty).
  "invalid_amount",
  // A currency conversion was asked for without an exchange rate.
  "fx_rate_missing",
  // A division by zero was asked for: zero denominator, zero total weight, split into zero parts.
  "division_by_zero",
] as const;

export type MoneyErrorCode = (typeof MONEY_ERROR_CODES)[number];

export class MoneyError extends Error {
  readonly code: MoneyErrorCode;

  constructor(code: MoneyErrorCode, message: string = code) {
    super(message);
    this.name = "MoneyError";
    this.code = code;
  }
}

export function isMoneyError(error: unknown, code?: MoneyErrorCode): error is MoneyError {
  return error instanceof MoneyError && (code === undefined || error.code === code);
}
