import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { amountToJson, ZAmountMinor, ZNonNegativeAmountMinor, ZPositiveAmountMinor } from "./json-amount";
import { AMOUNT_MINOR_MAX, AMOUNT_MINOR_MIN } from "./money";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

describe("ZAmountMinor", () => {
  it.each<[unknown, bigint]>([
    [1050, 1050n],
    [0, 0n],
    [-0, 0n],
    [-5, -5n],
    [MAX_SAFE, 9007199254740991n],
    [-MAX_SAFE, -9007199254740991n],
    ["1050", 1050n],
    ["-5", -5n],
    ["0", 0n],
    ["9007199254740993", 9007199254740993n],
    ["9223372036854775807", AMOUNT_MINOR_MAX],
    ["-9223372036854775808", AMOUNT_MINOR_MIN],
    [JSON.parse("1e3"), 1000n], // exponent notation is fine in JSON when the value is an integer
  ])("accepts %j as %s", (input, expected) => {
    expect(ZAmountMinor.parse(input)).toBe(expected);
  });

  it.each<unknown>([
    10.5,
    0.1 + 0.2,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    MAX_SAFE + 1,
    -MAX_SAFE - 1,
    1e21,
    "10.5",
    "1e3",
    "",
    " 1",
    "1 ",
    "+1",
    "01",
    "-01",
    "--1",
    "1,000",
    "0x10",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999",
    true,
    null,
    undefined,
    {},
    [],
  ])("rejects %j", (input) => {
    expect(ZAmountMinor.safeParse(input).success).toBe(false);
  });

  it("rejects a bigint: request bodies come from JSON, which has none", () => {
    expect(ZAmountMinor.safeParse(10n).success).toBe(false);
  });

  it("explains the rule with an example", () => {
    expect(ZAmountMinor.safeParse(10.5).error?.issues[0]?.message).toBe(
      "amount must be an integer number of minor units, e.g. 1050 for 10.50 USD",
    );
    expect(ZAmountMinor.safeParse(true).error?.issues[0]?.message).toMatch(/e\.g\. 1050 for 10\.50 USD/);
    expect(ZAmountMinor.safeParse(MAX_SAFE + 1).error?.issues[0]?.message).toMatch(/must be sent as strings/);
    expect(ZAmountMinor.safeParse("9223372036854775808").error?.issues[0]?.message).toMatch(/between/);
  });

  it("has positive and non-negative variants", () => {
    expect(ZPositiveAmountMinor.parse(1)).toBe(1n);
    expect(ZPositiveAmountMinor.safeParse(0).success).toBe(false);
    expect(ZPositiveAmountMinor.safeParse("-1").success).toBe(false);
    expect(ZPositiveAmountMinor.safeParse(0).error?.issues[0]?.message).toBe("amount must be greater than zero");
    expect(ZNonNegativeAmountMinor.parse(0)).toBe(0n);
    expect(ZNonNegativeAmountMinor.safeParse(-1).success).toBe(false);
  });
});

describe("amountToJson", () => {
  it("uses a number while it is exact and a string beyond", () => {
    expect(amountToJson(1050n)).toBe(1050);
    expect(amountToJson(-1050n)).toBe(-1050);
    expect(amountToJson(9007199254740991n)).toBe(MAX_SAFE);
    expect(amountToJson(9007199254740992n)).toBe("9007199254740992");
    expect(amountToJson(-9007199254740992n)).toBe("-9007199254740992");
    expect(amountToJson(AMOUNT_MINOR_MAX)).toBe("9223372036854775807");
  });

  it("property: amounts survive a JSON round trip exactly", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt(AMOUNT_MINOR_MIN, AMOUNT_MINOR_MAX), fc.bigInt(-(2n ** 54n), 2n ** 54n)),
        (amountMinor) => {
          const wire = JSON.stringify({ amount: amountToJson(amountMinor) });
          expect(ZAmountMinor.parse(JSON.parse(wire).amount)).toBe(amountMinor);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
