// A payment's receipt, found by its unguessable token (the public receipt page) or by payment id (email).
// Only payments that took money have one: captured, settled, refunded, charged back.
import { db } from "@/lib/db/client";
import { formatMoney } from "@/lib/money";
import { receiptUrlFor } from "./receipt-url";
import { ZMetadataLineItems, type Receipt, type ReceiptLineItem } from "./receipt.types";

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{20,128}$/;
const RECEIPT_STATUSES = ["captured", "settled", "refunded", "refund_settled", "chargeback"] as const;

const PAYMENT_SELECT = {
  id: true,
  merchantId: true,
  customerId: true,
  amount: true,
  amountCaptured: true,
  amountRefunded: true,
  currency: true,
  status: true,
  paymentMethodType: true,
  paymentMethodDetails: true,
  description: true,
  statementDescriptor: true,
  metadata: true,
  receiptNumber: true,
  receiptToken: true,
  createdAt: true,
  capturedAt: true,
} as const;

type PaymentForReceipt = {
  id: string;
  merchantId: string;
  customerId: string | null;
  amount: bigint;
  amountCaptured: bigint;
  amountRefunded: bigint;
  currency: string;
  status: string;
  paymentMethodType: string;
  paymentMethodDetails: unknown;
  description: string | null;
  statementDescriptor: string | null;
  metadata: unknown;
  receiptNumber: string;
  receiptToken: string;
  createdAt: Date;
  capturedAt: Date | null;
};

function lineItemsOf(payment: PaymentForReceipt, paid: bigint): ReceiptLineItem[] {
  const money = (minor: bigint) => formatMoney(minor, payment.currency);
  const raw = (payment.metadata as Record<string, unknown> | null)?.line_items;
  let candidate: unknown = raw;
  if (typeof raw === "string") {
    try {
      candidate = JSON.parse(raw);
    } catch {
      candidate = undefined;
    }
  }
  const parsed = candidate === undefined ? null : ZMetadataLineItems.safeParse(candidate);
  if (parsed?.success) {
    const items = parsed.data.map((item) => ({ ...item, unit: BigInt(item.amount) }));
    const total = items.reduce((sum, item) => sum + item.unit * BigInt(item.quantity), 0n);
    // Items that do not add up to the amount charged would mislead the customer: show one line instead.
    if (total === paid) {
      return items.map((item) => ({
        description: item.description ?? item.name ?? "Item",
        quantity: item.quantity,
        unitAmount: money(item.unit),
        amount: money(item.unit * BigInt(item.quantity)),
      }));
    }
  }
  return [{ description: payment.description ?? "Payment", quantity: 1, unitAmount: money(paid), amount: money(paid) }];
}

function paymentMethodOf(payment: PaymentForReceipt): Receipt["paymentMethod"] {
  const details = (payment.paymentMethodDetails ?? null) as { type?: unknown; brand?: unknown; last4?: unknown; wallet?: unknown } | null;
  const text = (value: unknown) => (typeof value === "string" && value.length > 0 && value.length <= 40 ? value : null);
  const last4 = text(details?.last4);
  return {
    type: text(details?.type) ?? payment.paymentMethodType,
    brand: text(details?.brand),
    last4: last4 && /^\d{4}$/.test(last4) ? last4 : null,
    wallet: text(details?.wallet),
  };
}

async function toReceipt(payment: PaymentForReceipt): Promise<Receipt | null> {
  if (!(RECEIPT_STATUSES as readonly string[]).includes(payment.status)) return null;
  const merchant = await db().merchant.findUnique({ where: { id: payment.merchantId }, select: { name: true, country: true } });
  if (!merchant) return null;
  const paid = payment.amountCaptured > 0n ? payment.amountCaptured : payment.amount;
  const refunded = payment.amountRefunded;
  const money = (minor: bigint) => formatMoney(minor, payment.currency);
  return {
    receiptNumber: payment.receiptNumber,
    token: payment.receiptToken,
    paymentId: payment.id,
    merchantId: payment.merchantId,
    merchant,
    status: refunded === 0n ? "paid" : refunded >= paid ? "refunded" : "partially_refunded",
    paidAt: (payment.capturedAt ?? payment.createdAt).toISOString(),
    currency: payment.currency,
    amountPaid: money(paid),
    amountRefunded: refunded > 0n ? money(refunded) : null,
    amountNet: money(paid - refunded),
    description: payment.description,
    statementDescriptor: payment.statementDescriptor,
    lineItems: lineItemsOf(payment, paid),
    paymentMethod: paymentMethodOf(payment),
    customerId: payment.customerId,
  };
}

/** The receipt behind a receipt URL, or null (unknown token, malformed token, or no money taken yet). */
export async function getReceiptByToken(token: string): Promise<Receipt | null> {
  if (!TOKEN_FORMAT.test(token)) return null;
  const payment = await db().payment.findUnique({ where: { receiptToken: token }, select: PAYMENT_SELECT });
  return payment ? toReceipt(payment) : null;
}

export async function getReceiptByPaymentId(paymentId: string): Promise<Receipt | null> {
  const payment = await db().payment.findUnique({ where: { id: paymentId }, select: PAYMENT_SELECT });
  return payment ? toReceipt(payment) : null;
}

export { receiptUrlFor };
