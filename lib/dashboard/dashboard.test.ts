// Pure parts of the dashboard read models: id ranges for dates, cursors, filter parsing and CSV safety.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newId } from "@/lib/ids";
import { idLowerBound, idUpperBound } from "./id-bounds";
import { csvField } from "./list-payments";
import { decodeCursor, encodeCursor, parsePaymentsFilter } from "./payments-query";
import { formatMoney } from "@/lib/money";
import { money } from "./format";
import { parsePeriod } from "./get-overview";

describe("id bounds", () => {
  it("every id made at time t lies between the bounds for t, and ids made later are above", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 47 }), fc.integer({ min: 1, max: 10_000_000 }), (t, later) => {
        const id = newId("payment", t);
        expect(id >= idLowerBound("payment", new Date(t))).toBe(true);
        expect(id <= idUpperBound("payment", new Date(t))).toBe(true);
        expect(newId("payment", t + later) > idUpperBound("payment", new Date(t))).toBe(true);
      }),
    );
  });
});

describe("payments filter", () => {
  it("drops malformed values instead of failing the page", () => {
    const filter = parsePaymentsFilter({ status: "nonsense", currency: "usd", from: "yesterday", sort: "sideways", q: " pay_x " });
    expect(filter).toEqual({ status: undefined, currency: "USD", from: undefined, to: undefined, method: undefined, sort: "newest", q: "pay_x", cursor: undefined });
  });
  it("round-trips cursors and refuses forged ones", () => {
    const id = newId("payment");
    expect(decodeCursor(encodeCursor({ id, amount: "1250" }))).toEqual({ id, amount: "1250" });
    expect(decodeCursor(Buffer.from(JSON.stringify({ id: "pay_x' or 1=1" })).toString("base64url"))).toBeNull();
    expect(decodeCursor("%%%")).toBeNull();
  });
  it("reads the overview period, defaulting to 30 days", () => {
    expect(parsePeriod("7")).toBe(7);
    expect(parsePeriod(["90"])).toBe(90);
    expect(parsePeriod("365")).toBe(30);
    expect(parsePeriod(undefined)).toBe(30);
  });
});

describe("csvField", () => {
  it("quotes separators and defuses spreadsheet formulas, but keeps negative numbers", () => {
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-12.50")).toBe("-12.50");
    expect(csvField(null)).toBe("");
  });
});

describe("money (cached formatters)", () => {
  it("formats exactly as lib/money's formatMoney, for any locale and currency, repeatedly", () => {
    for (const locale of ["en-US", "de-DE", "ja-JP", "fr-CH"]) {
      for (const [minor, currency] of [[123456n, "USD"], [-5n, "EUR"], [1234n, "JPY"], [1000001n, "KWD"], [99999999999999999n, "USD"]] as const) {
        expect(money(minor, currency, locale)).toBe(formatMoney(minor, currency, locale));
        expect(money(minor.toString(), ` ${currency}`, locale)).toBe(formatMoney(minor, currency, locale));
      }
    }
    expect(money(100n, "XXX-not-a-currency", "en-US")).toBe("100 XXX-not-a-currency (minor units)");
  });
});
