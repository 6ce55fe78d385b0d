// Maps a payments row (and the PSP's last view of it) to the API's payment object. Nothing else leaves lib/.
import { getEnv } from "@/lib/env";
import { amountToJson } from "@/lib/money";
import type { PaymentRow } from "./transition-payment";
import type { TPaymentDto, TPaymentMethodDetails } from "./payment.types";

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function receiptUrl(receiptToken: string): string {
  return `${getEnv().APP_URL.replace(/\/+$/, "")}/receipts/${receiptToken}`;
}

export function toPaymentDto(payment: PaymentRow, pspState?: { nextAction: unknown } | null): TPaymentDto {
  return {
    id: payment.id,
    object: "payment",
    amount: amountToJson(payment.amount),
    amount_captured: amountToJson(payment.amountCaptured),
    amount_refunded: amountToJson(payment.amountRefunded),
    currency: payment.currency,
    status: payment.status,
    capture_method: payment.captureMethod,
    payment_method_details: (payment.paymentMethodDetails as TPaymentMethodDetails | null) ?? null,
    customer: payment.customerId,
    description: payment.description,
    statement_descriptor: payment.statementDescriptor,
    failure_code: payment.failureCode,
    failure_message: payment.failureMessage,
    decline_code: payment.declineCode,
    psp_reference: payment.pspPaymentIntentId,
    receipt_number: payment.receiptNumber,
    receipt_url: receiptUrl(payment.receiptToken),
    next_action: payment.status === "pending" ? (pspState?.nextAction ?? null) : null,
    metadata: (payment.metadata ?? {}) as Record<string, string>,
    version: payment.version,
    created: payment.createdAt.toISOString(),
    pending_at: iso(payment.pendingAt),
    review_at: iso(payment.reviewAt),
    authorized_at: iso(payment.authorizedAt),
    captured_at: iso(payment.capturedAt),
    settled_at: iso(payment.settledAt),
    failed_at: iso(payment.failedAt),
    canceled_at: iso(payment.canceledAt),
    refunded_at: iso(payment.refundedAt),
    refund_settled_at: iso(payment.refundSettledAt),
    chargeback_at: iso(payment.chargebackAt),
  };
}
