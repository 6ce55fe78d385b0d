// Refuses card data anywhere in a request: PAN-like numbers (Luhn-valid, 13–19 digits) in any string,
// or in a number outside amount fields, and fields named like card numbers or security codes.
import { isLuhnValid } from "@/lib/log/redact";

const SENSITIVE_KEYS = /^(cvc|cvv|cvv2|cvc2|cid|security_code|card_number|cardnumber|pan|number|exp_month|exp_year)$/i;
const PAN_RUN = /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g;
const MAX_DEPTH = 20;

function stringHasPan(text: string): boolean {
  for (const match of text.matchAll(PAN_RUN)) {
    const digits = match[0].replace(/[ -]/g, "");
    if (digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits)) return true;
  }
  return false;
}

/** Returns the param name that carries card data, or null. */
export function findCardData(value: unknown, path = "", depth = 0): string | null {
  if (depth > MAX_DEPTH) return null;
  if (typeof value === "string") return stringHasPan(value) ? path || "body" : null;
  if (typeof value === "number") {
    const isAmount = /amount|_minor$|quantity|unit_price|fee|limit|total/i.test(path);
    return !isAmount && Number.isInteger(value) && stringHasPan(String(value)) ? path || "body" : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findCardData(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}[${key}]` : key;
      if (SENSITIVE_KEYS.test(key) && child !== null && child !== undefined && child !== "") {
        // `number` alone is only sensitive when it looks like a card number.
        if (key.toLowerCase() !== "number" || stringHasPan(String(child))) return childPath;
      }
      const hit = findCardData(child, childPath, depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}
