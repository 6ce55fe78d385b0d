// Maps a checkout_sessions row to the API object; the status reads "expired" as soon as the time is up,
// whether or not the row has been updated yet.
import { getEnv } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { amountToJson } from "@/lib/money";
import type { CheckoutStatus, StoredLineItem, TCheckoutSessionDto } from "./checkout-session.types";

export type CheckoutSessionRow = Prisma.CheckoutSessionGetPayload<object>;

export function checkoutUrl(sessionId: string): string {
  return `${getEnv().APP_URL.replace(/\/+$/, "")}/checkout/${sessionId}`;
}

export function effectiveStatus(row: Pick<CheckoutSessionRow, "status" | "expiresAt">, now: Date = new Date()): CheckoutStatus {
  if (row.status === "open" && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return row.status as CheckoutStatus;
}

export function storedLineItems(row: Pick<CheckoutSessionRow, "lineItems">): StoredLineItem[] {
  return row.lineItems as unknown as StoredLineItem[];
}

export function toCheckoutSessionDto(row: CheckoutSessionRow, now: Date = new Date()): TCheckoutSessionDto {
  return {
    id: row.id,
    object: "checkout.session",
    status: effectiveStatus(row, now),
    amount_total: amountToJson(row.amount),
    currency: row.currency,
    line_items: storedLineItems(row).map((item) => ({
      name: item.name,
      quantity: item.quantity,
      unit_amount: amountToJson(BigInt(item.unit_amount)),
      amount_total: amountToJson(BigInt(item.unit_amount) * BigInt(item.quantity)),
    })),
    url: checkoutUrl(row.id),
    success_url: row.successUrl,
    cancel_url: row.cancelUrl,
    customer: row.customerId,
    payment: row.paymentId,
    expires_at: row.expiresAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
    created: row.createdAt.toISOString(),
  };
}
