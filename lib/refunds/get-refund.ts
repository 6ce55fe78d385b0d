// Reading refunds: one (404 for another merchant's), or a page (optionally of one payment).
import { AppError } from "@/lib/api/errors";
import { finishPage, idPage, listResponse, type ListResponse } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import { toRefundDto, type TListRefundsQuery, type TRefundDto } from "./refund.types";

export async function getRefund(merchantId: string, refundId: string): Promise<TRefundDto> {
  const refund = await db().refund.findFirst({ where: { id: refundId, merchantId } });
  if (!refund) throw new AppError("resource_missing", `No such refund: '${refundId}'`, { param: "id" });
  return toRefundDto(refund);
}

export async function listRefunds(merchantId: string, query: TListRefundsQuery): Promise<ListResponse<TRefundDto>> {
  const page = idPage(query);
  const rows = await db().refund.findMany({
    where: { merchantId, ...page.where, ...(query.payment ? { paymentId: query.payment } : {}) },
    orderBy: page.orderBy,
    take: page.take,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/refunds", data.map(toRefundDto), hasMore);
}
