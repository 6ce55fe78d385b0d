import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { CURRENCY_CODES, type CurrencyCode, getCurrency } from "./currencies";
import { ROUNDING_MODES, type RoundingMode } from "./decimal";
import { MoneyError, type MoneyErrorCode } from "./errors";
import {
  add,
  allocate,
  AMOUNT_MINOR_MAX,
  AMOUNT_MINOR_MIN,
  applyBasisPoints,
  compare,
  convert,
  createMoney,
  equals,
  type Money,
  multiply,
  negate,
  splitEvenly,
  subtract,
  sum,
} from "./money";
import { parseMoney } from "./parse-format";

const usd = (amountMinor: bigint) => createMoney(amountMinor, "USD");
const minors = (amounts: Money[]) => amounts.map((amount) => amount.amountMinor);

function expectMoneyError(run: () => unknown, code: MoneyErrorCode): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MoneyError);
  expect((caught as MoneyError).code).toBe(code);
}

const amountArbitrary = fc.bigInt(AMOUNT_MINOR_MIN, AMOUNT_MINOR_MAX);
const currencyArbitrary = fc.constantFrom(...CURRENCY_CODES);

describe("createMoney", () => {
  it("accepts the PostgreSQL bigint bounds and nothing beyond", () => {
    expect(createMoney(AMOUNT_MINOR_MAX, "USD").amountMinor).toBe(9223372036854775807n);
    expect(createMoney(AMOUNT_MINOR_MIN, "USD").amountMinor).toBe(-9223372036854775808n);
    expectMoneyError(() => createMoney(AMOUNT_MINOR_MAX + 1n, "USD"), "amount_overflow");
    expectMoneyError(() => createMoney(AMOUNT_MINOR_MIN - 1n, "USD"), "amount_overflow");
  });

  it("refuses unknown currencies and non-bigint amounts", () => {
    expectMoneyError(() => createMoney(1n, "XAU"), "unknown_currency");
    expectMoneyError(() => createMoney(1n, "usd"), "unknown_currency");
    expectMoneyError(() => createMoney(1.5 as unknown as bigint, "USD"), "invalid_amount");
    expectMoneyError(() => createMoney(100 as unknown as bigint, "USD"), "invalid_amount");
  });
});

describe("add, subtract, negate, compare", () => {
  it("adds and subtracts in one currency", () => {
    expect(add(usd(1050n), usd(-50n))).toEqual(usd(1000n));
    expect(subtract(usd(0n), usd(1n))).toEqual(usd(-1n));
    expect(negate(usd(5n))).toEqual(usd(-5n));
    expect(negate(usd(0n)).amountMinor).toBe(0n);
  });

  it("has no 0.1 + 0.2 trap", () => {
    const total = add(usd(parseMoney("0.1", "USD")), usd(parseMoney("0.2", "USD")));
    expect(total).toEqual(usd(parseMoney("0.3", "USD")));
    expect(0.1 + 0.2).not.toBe(0.3); // the trap this module exists to avoid
  });

  it("refuses to mix currencies, even with equal exponents", () => {
    expectMoneyError(() => add(usd(1n), createMoney(1n, "EUR")), "currency_mismatch");
    expectMoneyError(() => subtract(usd(1n), createMoney(1n, "JPY")), "currency_mismatch");
    expectMoneyError(() => compare(usd(1n), createMoney(1n, "CAD")), "currency_mismatch");
    expectMoneyError(() => sum("USD", [usd(1n), createMoney(1n, "EUR")]), "currency_mismatch");
    expect(equals(usd(1n), createMoney(1n, "EUR"))).toBe(false);
  });

  it("overflows at the bigint bounds instead of producing an unstorable amount", () => {
    expectMoneyError(() => add(usd(AMOUNT_MINOR_MAX), usd(1n)), "amount_overflow");
    expectMoneyError(() => subtract(usd(AMOUNT_MINOR_MIN), usd(1n)), "amount_overflow");
    expectMoneyError(() => negate(usd(AMOUNT_MINOR_MIN)), "amount_overflow");
    expect(negate(usd(AMOUNT_MINOR_MAX)).amountMinor).toBe(-AMOUNT_MINOR_MAX);
  });

  it("compares and sums", () => {
    expect(compare(usd(1n), usd(2n))).toBe(-1);
    expect(compare(usd(2n), usd(2n))).toBe(0);
    expect(compare(usd(-1n), usd(-2n))).toBe(1);
    expect([usd(3n), usd(-1n), usd(2n)].sort(compare).map((amount) => amount.amountMinor)).toEqual([-1n, 2n, 3n]);
    expect(sum("JPY", [])).toEqual(createMoney(0n, "JPY"));
    expect(sum("USD", [usd(1n), usd(2n), usd(-4n)])).toEqual(usd(-1n));
  });

  it("property: subtract undoes add, and add overflows exactly when the true sum does not fit", () => {
    fc.assert(
      fc.property(amountArbitrary, amountArbitrary, currencyArbitrary, (a, b, currency) => {
        const left = createMoney(a, currency);
        const right = createMoney(b, currency);
        const exact = a + b;
        if (exact > AMOUNT_MINOR_MAX || exact < AMOUNT_MINOR_MIN) {
          expectMoneyError(() => add(left, right), "amount_overflow");
          return;
        }
        const total = add(left, right);
        expect(total.amountMinor).toBe(exact);
        expect(subtract(total, right)).toEqual(left);
        expect(subtract(total, left)).toEqual(right);
      }),
    );
  });

  it("property: compare agrees with the sign of the difference and is antisymmetric", () => {
    fc.assert(
      fc.property(amountArbitrary, amountArbitrary, (a, b) => {
        const expected = a < b ? -1 : a > b ? 1 : 0;
        expect(compare(usd(a), usd(b))).toBe(expected);
        expect(compare(usd(b), usd(a))).toBe(-expected || 0);
      }),
    );
  });
});

describe("multiply", () => {
  it.each<[RoundingMode, bigint, bigint]>([
    ["half_even", 12n, -12n],
    ["half_up", 13n, -13n],
    ["down", 12n, -12n],
    ["up", 13n, -13n],
    ["floor", 12n, -13n],
    ["ceiling", 13n, -12n],
  ])("rounds a tie (±25 × 0.5) %s → %s / %s", (mode, positive, negative) => {
    expect(multiply(usd(25n), "0.5", mode).amountMinor).toBe(positive);
    expect(multiply(usd(-25n), "0.5", mode).amountMinor).toBe(negative);
  });

  it("takes decimal strings, bigints and rationals", () => {
    expect(multiply(usd(1999n), "1.075", "half_up").amountMinor).toBe(2149n); // 2148.925
    expect(multiply(usd(1999n), "1.075", "down").amountMinor).toBe(2148n);
    expect(multiply(usd(100n), 3n, "half_even").amountMinor).toBe(300n);
    expect(multiply(usd(100n), { numerator: 1n, denominator: 3n }, "half_even").amountMinor).toBe(33n);
    expect(multiply(usd(100n), { numerator: 2n, denominator: -3n }, "floor").amountMinor).toBe(-67n);
    expect(multiply(usd(10n), "0.1", "half_even").amountMinor).toBe(1n);
  });

  it("refuses bad factors, zero denominators, missing rounding and overflow", () => {
    expectMoneyError(() => multiply(usd(1n), "1e2", "half_even"), "invalid_amount");
    expectMoneyError(() => multiply(usd(1n), 1.5 as unknown as bigint, "half_even"), "invalid_amount");
    expectMoneyError(() => multiply(usd(1n), { numerator: 1n, denominator: 0n }, "half_even"), "division_by_zero");
    expectMoneyError(() => multiply(usd(1n), "2", undefined as unknown as RoundingMode), "invalid_amount");
    expectMoneyError(() => multiply(usd(AMOUNT_MINOR_MAX), "1.0000000001", "down"), "amount_overflow");
  });
});

describe("applyBasisPoints", () => {
  it("computes fees in basis points", () => {
    expect(applyBasisPoints(usd(10_000n), 290, "half_up").amountMinor).toBe(290n); // 2.9 % of $100
    expect(applyBasisPoints(usd(1n), 290n, "up").amountMinor).toBe(1n); // 0.029 cents
    expect(applyBasisPoints(usd(1n), 290n, "down").amountMinor).toBe(0n);
    expect(applyBasisPoints(usd(1_000_000n), "12.5", "half_even").amountMinor).toBe(1250n);
    expect(applyBasisPoints(usd(-10_000n), 150, "floor").amountMinor).toBe(-150n);
    expect(applyBasisPoints(createMoney(333n, "JPY"), 250, "half_even").amountMinor).toBe(8n); // 8.325
    expectMoneyError(() => applyBasisPoints(usd(1n), 2.5, "down"), "invalid_amount");
  });

  it("property: half_even stays within half a unit of the exact fee", () => {
    fc.assert(
      fc.property(fc.bigInt(-(10n ** 15n), 10n ** 15n), fc.bigInt(0n, 10_000n), (amountMinor, bps) => {
        const fee = applyBasisPoints(usd(amountMinor), bps, "half_even").amountMinor;
        const error = fee * 10_000n - amountMinor * bps;
        expect(2n * (error < 0n ? -error : error) <= 10_000n).toBe(true);
      }),
    );
  });
});

describe("convert", () => {
  it("accounts for differing exponents", () => {
    expect(convert(usd(1000n), "JPY", "149.5", "half_even")).toEqual(createMoney(1495n, "JPY")); // $10 → ¥1495
    expect(convert(createMoney(100n, "JPY"), "USD", "0.0067", "half_even")).toEqual(usd(67n)); // ¥100 → $0.67
    expect(convert(usd(1000n), "KWD", "0.3075", "half_even")).toEqual(createMoney(3075n, "KWD")); // $10 → 3.075 KWD
    expect(convert(createMoney(1234n, "KWD"), "USD", "3.25", "half_even")).toEqual(usd(401n)); // 4.0105 → 4.01
    expect(convert(usd(100n), "CLF", "0.025", "half_even")).toEqual(createMoney(250n, "CLF")); // 0.0250 CLF
    expect(convert(usd(1n), "CLF", "0.000025", "half_even").amountMinor).toBe(0n); // 0.25 of a CLF minor unit
    expect(convert(usd(1n), "CLF", "0.000025", "up").amountMinor).toBe(1n);
    expect(convert(usd(-1000n), "JPY", "149.55", "half_even").amountMinor).toBe(-1496n); // -1495.5 → even
    expect(convert(usd(1000n), "JPY", { numerator: 299n, denominator: 2n }, "half_even").amountMinor).toBe(1495n);
  });

  it("refuses missing, non-positive and malformed rates", () => {
    expectMoneyError(() => convert(usd(1n), "EUR", undefined, "half_even"), "fx_rate_missing");
    expectMoneyError(() => convert(usd(1n), "EUR", "", "half_even"), "fx_rate_missing");
    expectMoneyError(() => convert(usd(1n), "EUR", null, "half_even"), "fx_rate_missing");
    expectMoneyError(() => convert(usd(1n), "EUR", "0", "half_even"), "invalid_amount");
    expectMoneyError(() => convert(usd(1n), "EUR", "-1.1", "half_even"), "invalid_amount");
    expectMoneyError(() => convert(usd(1n), "EUR", "1.1e0", "half_even"), "invalid_amount");
    expectMoneyError(() => convert(usd(1n), "XAU" as CurrencyCode, "1", "half_even"), "unknown_currency");
    expectMoneyError(() => convert(usd(AMOUNT_MINOR_MAX), "JPY", "150", "half_even"), "amount_overflow");
  });

  it("property: converting back at the inverse rate lands within the rounding bound", () => {
    // a → b = round(a·k) → c = round(b/k), with k = rate·10^e2/10^e1. Then |c − a| ≤ 1 + 1/k for
    // any mode and ≤ ½ + ½/k for the half modes; checked in exact integers (k = N/D).
    const rateArbitrary = fc.record({ numerator: fc.bigInt(1n, 10n ** 9n), denominator: fc.bigInt(1n, 10n ** 9n) });
    fc.assert(
      fc.property(
        fc.bigInt(-(10n ** 12n), 10n ** 12n),
        currencyArbitrary,
        currencyArbitrary,
        rateArbitrary,
        fc.constantFrom(...ROUNDING_MODES),
        (amountMinor, from, to, rate, mode) => {
          const source = createMoney(amountMinor, from);
          let there: Money;
          try {
            there = convert(source, to, rate, mode);
          } catch (error) {
            if (error instanceof MoneyError && error.code === "amount_overflow") return; // rate too large for the range
            throw error;
          }
          const back = convert(there, from, { numerator: rate.denominator, denominator: rate.numerator }, mode);
          const kNumerator = rate.numerator * 10n ** BigInt(getCurrency(to).exponent);
          const kDenominator = rate.denominator * 10n ** BigInt(getCurrency(from).exponent);
          const drift = back.amountMinor - amountMinor;
          const driftTimesN = (drift < 0n ? -drift : drift) * kNumerator;
          if (mode === "half_even" || mode === "half_up") {
            expect(2n * driftTimesN <= kNumerator + kDenominator).toBe(true);
          } else {
            expect(driftTimesN <= kNumerator + kDenominator).toBe(true);
          }
        },
      ),
    );
  });
});

describe("allocate and splitEvenly", () => {
  it("splits by largest remainder, earlier parts winning ties", () => {
    expect(minors(allocate(usd(100n), [1, 1, 1]))).toEqual([34n, 33n, 33n]);
    expect(minors(allocate(usd(5n), [3n, 7n]))).toEqual([2n, 3n]); // 1.5 / 3.5: tie goes to the first
    expect(minors(allocate(usd(100n), [70, 20, 10]))).toEqual([70n, 20n, 10n]);
    expect(minors(allocate(usd(1001n), [70, 20, 10]))).toEqual([701n, 200n, 100n]); // 700.7, 200.2, 100.1
    expect(minors(allocate(usd(10n), [1, 2, 3, 4, 5]))).toEqual([1n, 1n, 2n, 3n, 3n]); // .67 1.33 2 2.67 3.33
    expect(minors(allocate(usd(100n), [0, 1]))).toEqual([0n, 100n]);
    expect(minors(allocate(usd(0n), [1, 2]))).toEqual([0n, 0n]);
  });

  it("mirrors positive splits for negative amounts (refund allocation)", () => {
    expect(minors(allocate(usd(-100n), [1, 1, 1]))).toEqual([-34n, -33n, -33n]);
    expect(minors(allocate(createMoney(-7n, "JPY"), [1, 1]))).toEqual([-4n, -3n]);
  });

  it("handles the largest amounts without losing a unit", () => {
    const parts = allocate(usd(AMOUNT_MINOR_MAX), [1, 1, 1]);
    expect(parts.reduce((total, part) => total + part.amountMinor, 0n)).toBe(AMOUNT_MINOR_MAX);
  });

  it("refuses empty, negative, fractional and all-zero ratios", () => {
    expectMoneyError(() => allocate(usd(1n), []), "invalid_amount");
    expectMoneyError(() => allocate(usd(1n), [1, -1]), "invalid_amount");
    expectMoneyError(() => allocate(usd(1n), [1.5, 1]), "invalid_amount");
    expectMoneyError(() => allocate(usd(1n), [Number.NaN]), "invalid_amount");
    expectMoneyError(() => allocate(usd(1n), [0, 0n]), "division_by_zero");
    expectMoneyError(() => allocate(usd(1n), Array.from({ length: 10_001 }, () => 1)), "invalid_amount");
  });

  it("splits evenly with larger parts first", () => {
    expect(minors(splitEvenly(usd(100n), 3))).toEqual([34n, 33n, 33n]);
    expect(minors(splitEvenly(usd(2n), 3n))).toEqual([1n, 1n, 0n]);
    expect(minors(splitEvenly(usd(-5n), 2))).toEqual([-3n, -2n]);
    expectMoneyError(() => splitEvenly(usd(100n), 0), "division_by_zero");
    expectMoneyError(() => splitEvenly(usd(100n), -1), "invalid_amount");
    expectMoneyError(() => splitEvenly(usd(100n), 1.5), "invalid_amount");
  });

  const ratiosArbitrary = fc.array(fc.bigInt(0n, 10n ** 6n), { minLength: 1, maxLength: 20 }).filter((ratios) => ratios.some((ratio) => ratio > 0n));

  it("property: parts sum exactly to the input and each is within one unit of its exact share", () => {
    fc.assert(
      fc.property(amountArbitrary, ratiosArbitrary, currencyArbitrary, (amountMinor, ratios, currency) => {
        const parts = allocate(createMoney(amountMinor, currency), ratios);
        const totalWeight = ratios.reduce((total, ratio) => total + ratio, 0n);
        expect(parts).toHaveLength(ratios.length);
        expect(parts.reduce((total, part) => total + part.amountMinor, 0n)).toBe(amountMinor);
        parts.forEach((part, index) => {
          expect(part.currency).toBe(currency);
          // |part − amount·w/W| < 1  ⇔  |part·W − amount·w| < W
          const error = part.amountMinor * totalWeight - amountMinor * ratios[index]!;
          expect((error < 0n ? -error : error) < totalWeight).toBe(true);
          if (ratios[index] === 0n) expect(part.amountMinor).toBe(0n);
        });
      }),
    );
  });

  it("property: scaling every ratio by the same factor changes nothing", () => {
    fc.assert(
      fc.property(amountArbitrary, ratiosArbitrary, fc.bigInt(2n, 1000n), (amountMinor, ratios, factor) => {
        const money = usd(amountMinor);
        expect(allocate(money, ratios.map((ratio) => ratio * factor))).toEqual(allocate(money, ratios));
      }),
    );
  });

  it("property: splitEvenly parts differ by at most one unit and never increase", () => {
    fc.assert(
      fc.property(amountArbitrary, fc.integer({ min: 1, max: 50 }), (amountMinor, n) => {
        const parts = minors(splitEvenly(usd(amountMinor), n));
        expect(parts.reduce((total, part) => total + part, 0n)).toBe(amountMinor);
        const magnitudes = parts.map((part) => (part < 0n ? -part : part));
        for (let index = 1; index < magnitudes.length; index++) {
          expect(magnitudes[index]! <= magnitudes[index - 1]!).toBe(true);
        }
        expect(magnitudes[0]! - magnitudes[magnitudes.length - 1]! <= 1n).toBe(true);
      }),
    );
  });
});
