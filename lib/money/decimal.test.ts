import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { divideRounded, parseDecimal, ROUNDING_MODES, type RoundingMode } from "./decimal";
import { MoneyError } from "./errors";

// The table from java.math.RoundingMode, in tenths: value → UP, DOWN, CEILING, FLOOR, HALF_UP, HALF_EVEN.
const ROUNDING_TABLE: [bigint, Record<RoundingMode, bigint>][] = [
  [55n, { up: 6n, down: 5n, ceiling: 6n, floor: 5n, half_up: 6n, half_even: 6n }],
  [25n, { up: 3n, down: 2n, ceiling: 3n, floor: 2n, half_up: 3n, half_even: 2n }],
  [16n, { up: 2n, down: 1n, ceiling: 2n, floor: 1n, half_up: 2n, half_even: 2n }],
  [11n, { up: 2n, down: 1n, ceiling: 2n, floor: 1n, half_up: 1n, half_even: 1n }],
  [10n, { up: 1n, down: 1n, ceiling: 1n, floor: 1n, half_up: 1n, half_even: 1n }],
  [0n, { up: 0n, down: 0n, ceiling: 0n, floor: 0n, half_up: 0n, half_even: 0n }],
  [-10n, { up: -1n, down: -1n, ceiling: -1n, floor: -1n, half_up: -1n, half_even: -1n }],
  [-11n, { up: -2n, down: -1n, ceiling: -1n, floor: -2n, half_up: -1n, half_even: -1n }],
  [-16n, { up: -2n, down: -1n, ceiling: -1n, floor: -2n, half_up: -2n, half_even: -2n }],
  [-25n, { up: -3n, down: -2n, ceiling: -2n, floor: -3n, half_up: -3n, half_even: -2n }],
  [-55n, { up: -6n, down: -5n, ceiling: -5n, floor: -6n, half_up: -6n, half_even: -6n }],
];

describe("divideRounded", () => {
  for (const [tenths, expected] of ROUNDING_TABLE) {
    for (const mode of ROUNDING_MODES) {
      it(`${tenths}/10 ${mode} → ${expected[mode]}`, () => {
        expect(divideRounded(tenths, 10n, mode)).toBe(expected[mode]);
        // A negative denominator must give the same answer as the equivalent positive one.
        expect(divideRounded(-tenths, -10n, mode)).toBe(expected[mode]);
      });
    }
  }

  it("refuses a zero denominator and an unknown mode", () => {
    expect(() => divideRounded(1n, 0n, "half_even")).toThrow(MoneyError);
    expect(() => divideRounded(10n, 5n, "nearest" as RoundingMode)).toThrow(/unknown rounding mode/);
  });

  it("lands within one unit of the exact quotient, on the side the mode asks for", () => {
    const nonZero = fc.bigInt(-(10n ** 30n), 10n ** 30n).filter((value) => value !== 0n);
    fc.assert(
      fc.property(fc.bigInt(-(10n ** 40n), 10n ** 40n), nonZero, fc.constantFrom(...ROUNDING_MODES), (numerator, denominator, mode) => {
        const result = divideRounded(numerator, denominator, mode);
        // Compare result with numerator/denominator using a positive denominator.
        const sign = denominator < 0n ? -1n : 1n;
        const n = numerator * sign;
        const d = denominator * sign;
        const error = result * d - n; // (result − exact) × d
        expect(error < d && error > -d).toBe(true);
        if (mode === "floor") expect(error <= 0n).toBe(true);
        if (mode === "ceiling") expect(error >= 0n).toBe(true);
        if (mode === "down") expect(n >= 0n ? error <= 0n : error >= 0n).toBe(true);
        if (mode === "up") expect(n >= 0n ? error >= 0n : error <= 0n).toBe(true);
        if (mode === "half_up" || mode === "half_even") {
          const twiceError = 2n * (error < 0n ? -error : error);
          expect(twiceError <= d).toBe(true);
          if (twiceError === d && mode === "half_even") expect(result % 2n).toBe(0n);
          if (twiceError === d && mode === "half_up") expect(n >= 0n ? error > 0n : error < 0n).toBe(true);
        }
      }),
    );
  });
});

describe("parseDecimal", () => {
  it.each([
    ["0.1", 1n, 10n],
    ["-12.340", -12340n, 1000n],
    ["149.5", 1495n, 10n],
    ["007", 7n, 1n],
  ])("%s → %s/%s", (input, numerator, denominator) => {
    expect(parseDecimal(input)).toEqual({ numerator, denominator });
  });

  it.each(["", "1e3", "1E-2", "+1", ".5", "1.", "1,5", " 1", "NaN", "Infinity", "0x1F", "1_000", "--1", "1".repeat(65)])(
    "rejects %j",
    (input) => {
      expect(() => parseDecimal(input)).toThrow(expect.objectContaining({ code: "invalid_amount" }));
    },
  );
});
