import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { CURRENCY_CODES, getCurrency } from "./currencies";
import { MoneyError, type MoneyErrorCode } from "./errors";
import { AMOUNT_MINOR_MAX, AMOUNT_MINOR_MIN } from "./money";
import { formatMinor, formatMoney, parseMoney } from "./parse-format";

function errorCodeOf(run: () => unknown): MoneyErrorCode | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof MoneyError) return error.code;
    throw error;
  }
  return undefined;
}

const NBSP = "\u00a0";
const NARROW_NBSP = "\u202f";

describe("parseMoney", () => {
  it.each([
    ["12.34", "USD", 1234n],
    ["12.3", "USD", 1230n],
    ["12", "USD", 1200n],
    ["0.01", "USD", 1n],
    ["-0.05", "USD", -5n],
    ["0", "USD", 0n],
    ["-0", "USD", 0n],
    ["007.50", "USD", 750n],
    ["1234", "JPY", 1234n],
    ["-1", "JPY", -1n],
    ["1.234", "KWD", 1234n],
    ["0.001", "BHD", 1n],
    ["1.2345", "CLF", 12345n],
    ["0.0001", "UYW", 1n],
    ["92233720368547758.07", "USD", AMOUNT_MINOR_MAX],
    ["-92233720368547758.08", "USD", AMOUNT_MINOR_MIN],
    ["9223372036854775807", "JPY", AMOUNT_MINOR_MAX],
  ])("%s %s → %s", (input, currency, expected) => {
    expect(parseMoney(input, currency)).toBe(expected);
  });

  it.each([
    ["12.345", "USD"],
    ["12.340", "USD"],
    ["12.0", "JPY"],
    ["0.5", "JPY"],
    ["1.2345", "KWD"],
    ["1.23456", "CLF"],
  ])("never rounds: %s %s is amount_precision", (input, currency) => {
    expect(errorCodeOf(() => parseMoney(input, currency))).toBe("amount_precision");
  });

  it.each(["", " ", "12.34 ", " 12.34", "+12.34", "1,234.56", "1.234,56", "1e3", "1.2e1", "12.", ".5", "-.5", "--1", "abc", "NaN", "Infinity", "0x10", "1_000", "$12", "١٢", "12-"])(
    "rejects %j as invalid_amount",
    (input) => {
      expect(errorCodeOf(() => parseMoney(input, "USD"))).toBe("invalid_amount");
    },
  );

  it("refuses amounts beyond a PostgreSQL bigint", () => {
    expect(errorCodeOf(() => parseMoney("92233720368547758.08", "USD"))).toBe("amount_overflow");
    expect(errorCodeOf(() => parseMoney("-92233720368547758.09", "USD"))).toBe("amount_overflow");
    expect(errorCodeOf(() => parseMoney("9223372036854775808", "JPY"))).toBe("amount_overflow");
  });

  it("refuses unknown currencies", () => {
    expect(errorCodeOf(() => parseMoney("1", "XAU"))).toBe("unknown_currency");
    expect(errorCodeOf(() => parseMoney("1", "usd"))).toBe("unknown_currency");
  });
});

describe("formatMinor", () => {
  it.each([
    [1234n, "USD", "12.34"],
    [-5n, "USD", "-0.05"],
    [0n, "USD", "0.00"],
    [100n, "USD", "1.00"],
    [0n, "JPY", "0"],
    [-1234n, "JPY", "-1234"],
    [1n, "KWD", "0.001"],
    [12345n, "CLF", "1.2345"],
    [AMOUNT_MINOR_MAX, "USD", "92233720368547758.07"],
    [AMOUNT_MINOR_MIN, "USD", "-92233720368547758.08"],
    [AMOUNT_MINOR_MAX, "JPY", "9223372036854775807"],
  ])("%s %s → %s", (amountMinor, currency, expected) => {
    expect(formatMinor(amountMinor, currency)).toBe(expected);
  });

  it("refuses amounts that could not have been stored", () => {
    expect(errorCodeOf(() => formatMinor(AMOUNT_MINOR_MAX + 1n, "USD"))).toBe("amount_overflow");
  });

  it("property: parseMoney ∘ formatMinor is the identity for every currency and every bigint amount", () => {
    fc.assert(
      fc.property(fc.bigInt(AMOUNT_MINOR_MIN, AMOUNT_MINOR_MAX), fc.constantFrom(...CURRENCY_CODES), (amountMinor, currency) => {
        expect(parseMoney(formatMinor(amountMinor, currency), currency)).toBe(amountMinor);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: formatMinor ∘ parseMoney returns a canonical decimal string unchanged", () => {
    const canonical = fc.constantFrom(...CURRENCY_CODES).chain((currency) => {
      const exponent = getCurrency(currency).exponent;
      const integerPart = fc.oneof(fc.constant("0"), fc.stringMatching(/^[1-9]\d{0,14}$/));
      const fractionPart = fc.stringMatching(new RegExp(`^\\d{${exponent}}$`));
      return fc.tuple(fc.constant(currency), fc.boolean(), integerPart, fractionPart).map(([code, negative, integer, fraction]) => {
        const body = exponent === 0 ? integer : `${integer}.${fraction}`;
        const isZero = /^[0.]+$/.test(body);
        return { currency: code, text: negative && !isZero ? `-${body}` : body };
      });
    });
    fc.assert(
      fc.property(canonical, ({ currency, text }) => {
        expect(formatMinor(parseMoney(text, currency), currency)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("formatMoney", () => {
  it.each([
    [123456n, "USD", "en-US", "$1,234.56"],
    [-123456n, "USD", "en-US", "-$1,234.56"],
    [0n, "USD", "en-US", "$0.00"],
    [123456n, "EUR", "de-DE", `1.234,56${NBSP}€`],
    [-5n, "EUR", "de-DE", `-0,05${NBSP}€`],
    [1234n, "JPY", "ja-JP", "￥1,234"],
    [1234n, "JPY", "en-US", "¥1,234"],
    [123456n, "CHF", "fr-CH", `1${NARROW_NBSP}234.56${NBSP}CHF`],
    [1234n, "KWD", "en-US", `KWD${NBSP}1.234`],
    [12345n, "CLF", "en-US", `CLF${NBSP}1.2345`],
  ])("%s %s in %s → %j", (amountMinor, currency, locale, expected) => {
    expect(formatMoney(amountMinor, currency, locale)).toBe(expected);
  });

  it("shows every ISO decimal even where CLDR would round them away (IDR, HUF)", () => {
    expect(new Intl.NumberFormat("en-US", { style: "currency", currency: "IDR" }).format(123.45)).toBe(`IDR${NBSP}123`);
    expect(formatMoney(12345n, "IDR", "en-US")).toBe(`IDR${NBSP}123.45`);
    expect(formatMoney(12345n, "HUF", "en-US")).toBe(`HUF${NBSP}123.45`);
  });

  it("is exact beyond 2^53, where a JS number would not be", () => {
    const beyond = 2n ** 53n + 1n; // 9007199254740993: Number() turns it into ...992
    expect(String(Number(beyond))).toBe("9007199254740992");
    expect(formatMoney(beyond, "JPY", "en-US")).toBe("¥9,007,199,254,740,993");
    expect(formatMoney(AMOUNT_MINOR_MAX, "USD", "en-US")).toBe("$92,233,720,368,547,758.07");
    expect(formatMoney(AMOUNT_MINOR_MIN, "EUR", "de-DE")).toBe(`-92.233.720.368.547.758,08${NBSP}€`);
  });

  it("property: the digits shown are exactly the digits of the amount, for every currency", () => {
    fc.assert(
      fc.property(fc.bigInt(AMOUNT_MINOR_MIN, AMOUNT_MINOR_MAX), fc.constantFrom(...CURRENCY_CODES), (amountMinor, currency) => {
        const shown = formatMoney(amountMinor, currency, "en-US");
        const expectedDigits = formatMinor(amountMinor, currency).replace(/[-.]/g, "").replace(/^0+(?=\d)/, "");
        expect(shown.replace(/\D/g, "").replace(/^0+(?=\d)/, "")).toBe(expectedDigits);
        expect(shown.startsWith("-")).toBe(amountMinor < 0n);
      }),
      { numRuns: 500 },
    );
  });
});
