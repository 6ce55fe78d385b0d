import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parseDecimal } from "@/lib/money";
import { rationalToDecimalString } from "./get-fx-rate";
import { parseFxRatesCsv } from "./import-fx-rates-csv";

describe("parseFxRatesCsv", () => {
  test("reads rows, skips comments and blank lines", () => {
    const rows = parseFxRatesCsv("# note\nbase,quote,rate,as_of,source\n\nUSD,EUR,0.9215,2026-11-20T00:00:00Z,ecb\n");
    expect(rows).toEqual([{ base: "USD", quote: "EUR", rate: "0.9215", asOf: new Date("2026-11-20T00:00:00Z"), source: "ecb" }]);
  });

  test.each([
    ["no header", "USD,EUR,0.9,2026-11-20T00:00:00Z,ecb", /header/],
    ["unknown currency", "base,quote,rate,as_of,source\nUSD,XXY,0.9,2026-11-20T00:00:00Z,ecb", /line 2: 'XXY'/],
    ["zero rate", "base,quote,rate,as_of,source\nUSD,EUR,0,2026-11-20T00:00:00Z,ecb", /positive decimal/],
    ["exponent", "base,quote,rate,as_of,source\nUSD,EUR,9e-1,2026-11-20T00:00:00Z,ecb", /positive decimal/],
    ["bad time", "base,quote,rate,as_of,source\nUSD,EUR,0.9,yesterday,ecb", /ISO 8601/],
    ["same currency", "base,quote,rate,as_of,source\nUSD,USD,1,2026-11-20T00:00:00Z,ecb", /differ/],
  ])("refuses %s", (_name, csv, message) => {
    expect(() => parseFxRatesCsv(csv)).toThrow(message);
  });
});

describe("rationalToDecimalString", () => {
  test("rounds half-even to 18 places and trims zeros", () => {
    expect(rationalToDecimalString({ numerator: 1n, denominator: 3n })).toBe("0.333333333333333333");
    expect(rationalToDecimalString({ numerator: 2n, denominator: 3n })).toBe("0.666666666666666667");
    expect(rationalToDecimalString({ numerator: 154_620n, denominator: 1_000n })).toBe("154.62");
    expect(rationalToDecimalString({ numerator: 5n, denominator: 1n })).toBe("5");
  });

  test("a decimal with ≤ 18 places survives the round trip exactly", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.nat({ max: 18 }), (digits, places) => {
        const text = rationalToDecimalString({ numerator: digits, denominator: 10n ** BigInt(places) });
        const back = parseDecimal(text);
        expect(back.numerator * 10n ** BigInt(places)).toBe(digits * back.denominator);
      }),
    );
  });
});
