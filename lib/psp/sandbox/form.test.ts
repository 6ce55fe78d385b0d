import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalize, decodeForm, encodeForm, FormDecodeError, parseKeyPath } from "./form.ts";

describe("decodeForm", () => {
  it("decodes the SDK's bracket notation, indexed arrays and empty values", () => {
    const body =
      "amount=1000&currency=usd&confirm=true&payment_method=pm_card_visa&metadata[order]=A1&metadata[blank]=" +
      "&expand[0]=latest_charge&expand[1]=latest_charge.balance_transaction" +
      "&payment_method_options[card][capture_method]=manual&allowed_payment_method_types[0]=card";
    expect(decodeForm(body)).toEqual({
      amount: "1000",
      currency: "usd",
      confirm: "true",
      payment_method: "pm_card_visa",
      metadata: { order: "A1", blank: "" },
      expand: ["latest_charge", "latest_charge.balance_transaction"],
      payment_method_options: { card: { capture_method: "manual" } },
      allowed_payment_method_types: ["card"],
    });
  });

  it("accepts `[]` arrays, percent-encoded brackets and + as space", () => {
    expect(decodeForm("expand%5B%5D=a&expand%5B%5D=b&description=hello+world%21")).toEqual({ expand: ["a", "b"], description: "hello world!" });
  });

  it("orders indexed arrays by index and keeps arrays of objects", () => {
    expect(decodeForm("items[1][price]=b&items[0][price]=a&items[0][quantity]=2")).toEqual({ items: [{ price: "a", quantity: "2" }, { price: "b" }] });
  });

  it("treats a whole-object empty value as an unset marker", () => {
    expect(decodeForm("metadata=")).toEqual({ metadata: "" });
  });

  it("rejects a key used both as scalar and as object", () => {
    expect(() => decodeForm("metadata=x&metadata[a]=b")).toThrow(FormDecodeError);
  });

  it("parses key paths", () => {
    expect(parseKeyPath("a[b][0][]")).toEqual(["a", "b", "0", ""]);
    expect(parseKeyPath("plain")).toEqual(["plain"]);
  });

  it("round-trips arbitrary nested params through the SDK-style encoder", () => {
    const key = fc.stringMatching(/^[a-z_]{1,8}$/);
    const value = fc.string({ maxLength: 12 });
    const params = fc.dictionary(key, fc.oneof(value, fc.dictionary(key, value, { minKeys: 1, maxKeys: 3 }), fc.array(value, { minLength: 1, maxLength: 3 })), { maxKeys: 5 });
    fc.assert(
      fc.property(params, (input) => {
        expect(decodeForm(encodeForm(input))).toEqual(input);
      }),
    );
  });

  it("canonicalizes independently of key order", () => {
    expect(canonicalize({ b: 1, a: { d: 2, c: [1, 2] } })).toBe(canonicalize({ a: { c: [1, 2], d: 2 }, b: 1 }));
    expect(canonicalize({ a: [1, 2] })).not.toBe(canonicalize({ a: [2, 1] }));
  });
});
