import { describe, expect, it } from "vitest";

import {
  CURRENCY_CODES,
  currencyExponent,
  findCurrency,
  getCurrency,
  isCurrencyCode,
  NON_TRANSACTIONAL_CURRENCIES,
  STRIPE_CURRENCY_RULES,
  stripeExponent,
  ZCurrencyCode,
} from "./currencies";
import { MoneyError } from "./errors";

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  return undefined;
}

describe("currency table", () => {
  it("holds the active ISO 4217 list, well-formed and without duplicates", () => {
    expect(CURRENCY_CODES.length).toBeGreaterThanOrEqual(160);
    expect(new Set(CURRENCY_CODES).size).toBe(CURRENCY_CODES.length);
    for (const code of CURRENCY_CODES) {
      const currency = getCurrency(code);
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect(currency.numericCode).toMatch(/^\d{3}$/);
      expect([0, 2, 3, 4]).toContain(currency.exponent);
      expect(currency.name.length).toBeGreaterThan(0);
    }
  });

  it("gives every numeric code to one currency, except ANG/XCG which share 532 during the changeover", () => {
    const byNumeric = new Map<string, string[]>();
    for (const code of CURRENCY_CODES) {
      const numeric = getCurrency(code).numericCode;
      byNumeric.set(numeric, [...(byNumeric.get(numeric) ?? []), code]);
    }
    const shared = [...byNumeric.values()].filter((codes) => codes.length > 1);
    expect(shared).toEqual([["ANG", "XCG"]]);
  });

  it.each([
    ["JPY", 0, "392"],
    ["KRW", 0, "410"],
    ["ISK", 0, "352"],
    ["CLP", 0, "152"],
    ["XOF", 0, "952"],
    ["USD", 2, "840"],
    ["EUR", 2, "978"],
    ["ALL", 2, "008"],
    ["MGA", 2, "969"],
    ["KWD", 3, "414"],
    ["BHD", 3, "048"],
    ["JOD", 3, "400"],
    ["OMR", 3, "512"],
    ["TND", 3, "788"],
    ["LYD", 3, "434"],
    ["IQD", 3, "368"],
    ["CLF", 4, "990"],
    ["UYW", 4, "927"],
    ["UYI", 0, "940"],
  ])("%s has exponent %i and numeric code %s", (code, exponent, numericCode) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(getCurrency(code).numericCode).toBe(numericCode);
  });

  it("includes recent additions and leaves withdrawn codes out", () => {
    for (const code of ["SLE", "VED", "VES", "ZWG", "XCG", "MRU", "STN"]) expect(isCurrencyCode(code)).toBe(true);
    for (const code of ["HRK", "SLL", "ZWL", "VEF", "MRO", "STD", "LTL", "EEK"]) expect(isCurrencyCode(code)).toBe(false);
  });

  it("flags funds codes", () => {
    expect(getCurrency("CLF").isFund).toBe(true);
    expect(getCurrency("USN").isFund).toBe(true);
    expect(getCurrency("CLP").isFund).toBe(false);
  });

  it("keeps metals, SDR and test codes out of the transactional set", () => {
    for (const code of ["XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XDR"]) {
      expect(NON_TRANSACTIONAL_CURRENCIES.has(code)).toBe(true);
      expect(isCurrencyCode(code)).toBe(false);
      expect(codeOf(() => getCurrency(code))).toBe("unknown_currency");
    }
    expect(() => getCurrency("XAU")).toThrow(/no minor unit/);
  });

  it("looks up exactly: lower case, blanks and non-strings are not codes", () => {
    expect(isCurrencyCode("usd")).toBe(false);
    expect(isCurrencyCode(" USD")).toBe(false);
    expect(isCurrencyCode(840)).toBe(false);
    expect(isCurrencyCode(undefined)).toBe(false);
    expect(findCurrency("usd")).toBeUndefined();
    expect(codeOf(() => currencyExponent("usd"))).toBe("unknown_currency");
    expect(codeOf(() => getCurrency("ZZZ"))).toBe("unknown_currency");
  });

  it("is accepted by Intl.NumberFormat as a currency for every code", () => {
    for (const code of CURRENCY_CODES) {
      expect(() => new Intl.NumberFormat("en-US", { style: "currency", currency: code })).not.toThrow();
    }
  });
});

describe("ZCurrencyCode", () => {
  it.each([
    ["usd", "USD"],
    ["Jpy", "JPY"],
    ["KWD", "KWD"],
    [" eur ", "EUR"],
  ])("normalises %j to %s", (input, expected) => {
    expect(ZCurrencyCode.parse(input)).toBe(expected);
  });

  it.each(["", "US", "USDD", "U$D", "zzz", "xau", "hrk", "ＵＳＤ"])("rejects %j", (input) => {
    expect(ZCurrencyCode.safeParse(input).success).toBe(false);
  });

  it("rejects non-strings with a clear message", () => {
    const result = ZCurrencyCode.safeParse(840);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/three-letter ISO 4217 code/);
  });

  it("says why a known non-transactional code is refused", () => {
    expect(ZCurrencyCode.safeParse("xau").error?.issues[0]?.message).toMatch(/XAU.*no minor unit/);
  });
});

describe("Stripe divergences", () => {
  it("differs from ISO where Stripe says so and nowhere else", () => {
    expect(stripeExponent("ISK")).toBe(2);
    expect(stripeExponent("UGX")).toBe(2);
    expect(stripeExponent("MGA")).toBe(0);
    expect(stripeExponent("HUF")).toBe(2);
    expect(stripeExponent("KWD")).toBe(3);
    expect(stripeExponent("USD")).toBe(2);
    expect(stripeExponent("JPY")).toBe(0);
    expect(STRIPE_CURRENCY_RULES.get("ISK")?.amountMultipleOf).toBe(100n);
    expect(STRIPE_CURRENCY_RULES.get("TWD")?.payoutMultipleOf).toBe(100n);
    for (const code of STRIPE_CURRENCY_RULES.keys()) expect(isCurrencyCode(code)).toBe(true);
  });
});
