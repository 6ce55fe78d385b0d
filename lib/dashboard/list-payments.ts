// The payments table: one keyset page of the filtered payments, as display rows, and the CSV export that
// walks the same query in batches of 1,000 rows into a stream (any filter, any size, constant memory).
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { formatMinor } from "@/lib/money";
import type { TPaymentMethodDetails } from "@/lib/payments/payment.types";
import { cursorFor, PAYMENTS_PAGE_SIZE, paymentsOrder, paymentsWhere, type PaymentsFilter, type SearchMatch } from "./payments-query";

export type PaymentListRow = {
  id: string;
  amountMinor: string;
  amountRefundedMinor: string;
  currency: string;
  status: string;
  methodType: string;
  brand: string | null;
  last4: string | null;
  customerId: string | null;
  description: string | null;
  created: string;
};

const LIST_SELECT = {
  id: true, amount: true, amountRefunded: true, currency: true, status: true, paymentMethodType: true, paymentMethodDetails: true,
  customerId: true, description: true, createdAt: true,
} satisfies Prisma.PaymentSelect;

type ListRow = Prisma.PaymentGetPayload<{ select: typeof LIST_SELECT }>;

function toRow(row: ListRow): PaymentListRow {
  const details = row.paymentMethodDetails as TPaymentMethodDetails | null;
  return {
    id: row.id,
    amountMinor: row.amount.toString(),
    amountRefundedMinor: row.amountRefunded.toString(),
    currency: row.currency,
    status: row.status,
    methodType: row.paymentMethodType,
    brand: details?.brand ?? null,
    last4: details?.last4 ?? null,
    customerId: row.customerId,
    description: row.description,
    created: row.createdAt.toISOString(),
  };
}

export type PaymentsPage = { rows: PaymentListRow[]; nextCursor: string | null; match: SearchMatch };

export async function listDashboardPayments(merchantId: string, filter: PaymentsFilter, limit: number = PAYMENTS_PAGE_SIZE): Promise<PaymentsPage> {
  const [{ where, match }, order] = [await paymentsWhere(merchantId, filter), paymentsOrder(filter)];
  const rows = await db().payment.findMany({
    where: order.after ? { AND: [where, order.after] } : where,
    orderBy: order.orderBy,
    take: limit + 1,
    select: LIST_SELECT,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page.map(toRow), nextCursor: rows.length > limit && last ? cursorFor(filter, last) : null, match };
}

export const CSV_BATCH_SIZE = 1000;
/** A guard against a runaway export; a million rows is about 100 MB of CSV. */
export const CSV_ROWS_MAX = 2_000_000;
export const CSV_COLUMNS = ["id", "created_utc", "status", "amount", "currency", "amount_refunded", "method", "brand", "last4", "customer", "description"] as const;

/** Quotes a CSV field, and defuses spreadsheet formulas (=, +, -, @ at the start of a text cell). */
export function csvField(value: string | null): string {
  if (value === null) return "";
  let text = value;
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(row: PaymentListRow): string {
  return [
    row.id, row.created, row.status, formatMinor(BigInt(row.amountMinor), row.currency), row.currency,
    formatMinor(BigInt(row.amountRefundedMinor), row.currency), row.methodType, row.brand, row.last4, row.customerId, row.description,
  ].map(csvField).join(",") + "\r\n";
}

/** The export as a byte stream: header, then batches of 1,000 rows read with the keyset cursor. */
export function exportPaymentsCsv(input: { merchantId: string; filter: PaymentsFilter; actor: Actor }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let filter: PaymentsFilter = { ...input.filter, cursor: undefined };
  let sent = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          await recordAuditEvent({
            merchantId: input.merchantId, actor: input.actor, action: "payments.exported", target: { type: "payment_list", id: input.merchantId },
            data: { filter: { ...filter, q: filter.q ? "(search)" : undefined } as Prisma.InputJsonValue },
          });
          controller.enqueue(encoder.encode(CSV_COLUMNS.join(",") + "\r\n"));
          return;
        }
        const page = await listDashboardPayments(input.merchantId, filter, CSV_BATCH_SIZE);
        if (page.rows.length > 0) controller.enqueue(encoder.encode(page.rows.map(csvLine).join("")));
        sent += page.rows.length;
        if (!page.nextCursor || sent >= CSV_ROWS_MAX) controller.close();
        else filter = { ...filter, cursor: page.nextCursor };
      } catch (error) {
        controller.error(error);
      }
    },
  });
}
