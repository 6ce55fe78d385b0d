// Public API of lib/money: import from "@/lib/money" (or a relative path), not from its files.
export {
  CURRENCY_CODES,
  type Currency,
  type CurrencyCode,
  currencyExponent,
  findCurrency,
  getCurrency,
  isCurrencyCode,
  NON_TRANSACTIONAL_CURRENCIES,
  STRIPE_CURRENCY_RULES,
  type StripeCurrencyRule,
  stripeExponent,
  type TCurrencyCode,
  ZCurrencyCode,
} from "./currencies";
export { divideRounded, parseDecimal, type Rational, ROUNDING_MODES, type RoundingMode } from "./decimal";
export { isMoneyError, MONEY_ERROR_CODES, MoneyError, type MoneyErrorCode } from "./errors";
export {
  amountMinorSchema,
  type AmountSign,
  amountToJson,
  ZAmountMinor,
  ZNonNegativeAmountMinor,
  ZPositiveAmountMinor,
} from "./json-amount";
export {
  add,
  allocate,
  ALLOCATION_PARTS_MAX,
  AMOUNT_MINOR_MAX,
  AMOUNT_MINOR_MIN,
  applyBasisPoints,
  assertAmountInRange,
  compare,
  convert,
  createMoney,
  equals,
  isNegative,
  isZero,
  type Money,
  multiply,
  negate,
  splitEvenly,
  subtract,
  sum,
  zeroMoney,
} from "./money";
export { formatMinor, formatMoney, parseMoney } from "./parse-format";
