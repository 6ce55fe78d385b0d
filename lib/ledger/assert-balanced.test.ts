import fc from "fast-check";
import { expect, test } from "vitest";
import { assertBalanced } from "./post-transaction";

const currency = fc.constantFrom("USD", "EUR", "JPY");

test("any set of debit/credit pairs balances; changing one amount by any non-zero delta does not", () => {
  fc.assert(
    fc.property(fc.array(fc.record({ amount: fc.bigInt({ min: 1n, max: 10n ** 15n }), currency }), { minLength: 1, maxLength: 20 }), fc.bigInt({ min: 1n, max: 1000n }), (pairs, delta) => {
      const entries = pairs.flatMap(({ amount, currency: code }) => [
        { direction: "debit" as const, amountMinor: amount, currency: code },
        { direction: "credit" as const, amountMinor: amount, currency: code },
      ]);
      expect(() => assertBalanced(entries)).not.toThrow();
      const broken = entries.map((entry, index) => (index === 0 ? { ...entry, amountMinor: entry.amountMinor + delta } : entry));
      expect(() => assertBalanced(broken)).toThrow(/does not balance/);
    }),
  );
});

test("balancing is per currency: 100 USD against 100 EUR is not balanced", () => {
  expect(() =>
    assertBalanced([
      { direction: "debit", amountMinor: 100n, currency: "USD" },
      { direction: "credit", amountMinor: 100n, currency: "EUR" },
    ]),
  ).toThrow(/does not balance in USD/);
});
