// Reading payments: one (404 for another merchant's id, exactly like a missing one), a filtered page, and the state history.
import { AppError } from "@/lib/api/errors";
import { finishPage, idPage, listResponse, type ListResponse, type TListQuery } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { toPaymentDto } from "./payment-dto";
import type { TListPaymentsQuery, TPaymentDto } from "./payment.types";
import type { PaymentRow } from "./transition-payment";

export async function getPaymentRowOrThrow(merchantId: string, paymentId: string): Promise<PaymentRow> {
  const payment = await db().payment.findFirst({ where: { id: paymentId, merchantId } });
  if (!payment) throw new AppError("resource_missing", `No such payment: '${paymentId}'`, { param: "id" });
  return payment;
}

export async function getPayment(merchantId: string, paymentId: string): Promise<TPaymentDto> {
  const payment = await getPaymentRowOrThrow(merchantId, paymentId);
  const pspState = await db().paymentPspState.findUnique({ where: { paymentId }, select: { nextAction: true } });
  return toPaymentDto(payment, pspState);
}

export async function listPayments(merchantId: string, query: TListPaymentsQuery): Promise<ListResponse<TPaymentDto>> {
  const page = idPage(query);
  const where: Prisma.PaymentWhereInput = {
    merchantId,
    ...page.where,
    ...(query.status ? { status: query.status } : {}),
    ...(query.customer ? { customerId: query.customer } : {}),
    ...(query.currency ? { currency: query.currency } : {}),
  };
  if (query["created[gte]"] || query["created[lte]"]) {
    where.createdAt = { ...(query["created[gte]"] ? { gte: query["created[gte]"] } : {}), ...(query["created[lte]"] ? { lte: query["created[lte]"] } : {}) };
  }
  if (query["amount[gte]"] !== undefined || query["amount[lte]"] !== undefined) {
    where.amount = {
      ...(query["amount[gte]"] !== undefined ? { gte: query["amount[gte]"] } : {}),
      ...(query["amount[lte]"] !== undefined ? { lte: query["amount[lte]"] } : {}),
    };
  }
  const rows = await db().payment.findMany({ where, orderBy: page.orderBy, take: page.take });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/payments", data.map((row) => toPaymentDto(row)), hasMore);
}

export type TPaymentEventDto = {
  id: string;
  object: "payment_event";
  payment: string;
  from_status: string | null;
  to_status: string;
  version: number;
  reason: string | null;
  actor_type: string;
  created: string;
};

export async function listPaymentEvents(merchantId: string, paymentId: string, query: TListQuery): Promise<ListResponse<TPaymentEventDto>> {
  await getPaymentRowOrThrow(merchantId, paymentId);
  const rows = await db().paymentEvent.findMany({
    where: { paymentId, merchantId },
    orderBy: { id: "asc" },
    take: query.limit + 1,
    ...(query.starting_after ? { where: { paymentId, merchantId, id: { gt: BigInt(query.starting_after.replace(/^pev_/, "")) } } } : {}),
  });
  const hasMore = rows.length > query.limit;
  return listResponse(
    `/api/v1/payments/${paymentId}/events`,
    rows.slice(0, query.limit).map((row) => ({
      id: `pev_${row.id}`,
      object: "payment_event" as const,
      payment: row.paymentId,
      from_status: row.fromStatus,
      to_status: row.toStatus,
      version: row.version,
      reason: row.reason,
      actor_type: row.actorType,
      created: row.createdAt.toISOString(),
    })),
    hasMore,
  );
}
