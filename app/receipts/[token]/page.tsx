// The public receipt page: /receipts/<unguessable token>. No sign-in; never indexed; no Referer leaks the token.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReceiptView } from "@/components/receipt-view";
import { getReceiptByToken } from "@/lib/receipts/get-receipt";

export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Receipt",
  robots: { index: false, follow: false, nocache: true, googleBot: { index: false, follow: false } },
  referrer: "no-referrer",
};

export default async function ReceiptPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const receipt = await getReceiptByToken(token);
  if (!receipt) notFound();
  return <ReceiptView receipt={receipt} />;
}
