import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import { documentLanguage } from "@/lib/checkout/document-language";
import { localeFromAcceptLanguage } from "@/lib/checkout/get-checkout-page";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Settle", template: "%s · Settle" },
  description: "Payments, ledger and reconciliation you run yourself.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The locale the pages format with (checkout: getCheckoutPage; dashboard: the same Accept-Language rule).
  const lang = documentLanguage(localeFromAcceptLanguage((await headers()).get("accept-language")));
  return (
    <html lang={lang}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
