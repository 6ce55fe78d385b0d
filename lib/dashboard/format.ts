// Display helpers for dashboard pages: money per currency in the viewer's locale, labels for statuses.
import { formatMoney } from "@/lib/money";
import { localeFromAcceptLanguage } from "@/lib/checkout/get-checkout-page";

export { localeFromAcceptLanguage };

export function money(amountMinor: string | bigint, currency: string, locale: string): string {
  try {
    return formatMoney(BigInt(amountMinor), currency.trim(), locale);
  } catch {
    return `${amountMinor} ${currency} (minor units)`;
  }
}

export function humanize(value: string): string {
  const text = value.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function methodLabel(methodType: string, brand: string | null, last4: string | null): string {
  if (methodType === "settle_wallet") return "Settle wallet";
  const name = brand ? humanize(brand) : methodType === "bank_debit" ? "Bank debit" : humanize(methodType);
  return last4 ? `${name} •••• ${last4}` : name;
}
