// What the public checkout page shows: the merchant's name, the basket and totals formatted for the
// customer's locale, and where the session stands. Nothing about other sessions or the merchant leaks.
import { db } from "@/lib/db/client";
import { formatMoney } from "@/lib/money";
import { effectiveStatus, storedLineItems } from "./checkout-session-dto";
import type { CheckoutStatus } from "./checkout-session.types";
import { declineMessage } from "./start-checkout-attempt";

export type CheckoutPageView = {
  id: string;
  status: CheckoutStatus;
  merchantName: string;
  currency: string;
  locale: string;
  lines: { name: string; quantity: number; unitAmount: string; total: string }[];
  total: string;
  /** Minor units as a string (bigint does not cross to client components). */
  amountMinor: string;
  expiresAt: string;
  successUrl: string | null;
  cancelUrl: string | null;
  walletOffered: boolean;
  attempt: number;
  /** State of the current attempt's payment, for a reload in the middle of paying. */
  payment: { status: string; receiptUrl: string | null; message: string | null } | null;
};

const LOCALE_DEFAULT = "en-US";

/** The first locale in an Accept-Language header that Intl can format with; "en-US" otherwise. */
export function localeFromAcceptLanguage(header: string | null | undefined): string {
  if (!header) return LOCALE_DEFAULT;
  const candidates = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag!.trim(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && entry.tag !== "*" && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .slice(0, 10);
  for (const { tag } of candidates) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // not a well-formed language tag
    }
  }
  return LOCALE_DEFAULT;
}

export async function getCheckoutPage(sessionId: string, acceptLanguage: string | null): Promise<CheckoutPageView | null> {
  if (!/^cs_[0-9a-z]{26}$/.test(sessionId)) return null;
  const session = await db().checkoutSession.findUnique({ where: { id: sessionId } });
  if (!session) return null;
  const [merchant, payment] = await Promise.all([
    db().merchant.findUniqueOrThrow({ where: { id: session.merchantId }, select: { name: true } }),
    session.paymentId
      ? db().payment.findUnique({ where: { id: session.paymentId }, select: { status: true, receiptToken: true, failureCode: true, declineCode: true, failureMessage: true } })
      : null,
  ]);
  const locale = localeFromAcceptLanguage(acceptLanguage);
  const money = (minor: bigint) => formatMoney(minor, session.currency, locale);
  const paid = payment && ["authorized", "captured", "settled", "refunded", "refund_settled"].includes(payment.status);
  return {
    id: session.id,
    status: paid ? "complete" : effectiveStatus(session),
    merchantName: merchant.name,
    currency: session.currency,
    locale,
    lines: storedLineItems(session).map((item) => ({
      name: item.name,
      quantity: item.quantity,
      unitAmount: money(BigInt(item.unit_amount)),
      total: money(BigInt(item.unit_amount) * BigInt(item.quantity)),
    })),
    total: money(session.amount),
    amountMinor: session.amount.toString(),
    expiresAt: session.expiresAt.toISOString(),
    successUrl: session.successUrl,
    cancelUrl: session.cancelUrl,
    walletOffered: session.walletAccountId !== null,
    attempt: session.attempt,
    payment: payment
      ? {
          status: payment.status,
          receiptUrl: paid ? `/receipts/${payment.receiptToken}` : null,
          message: ["failed", "canceled"].includes(payment.status) ? declineMessage(payment) : null,
        }
      : null,
  };
}
