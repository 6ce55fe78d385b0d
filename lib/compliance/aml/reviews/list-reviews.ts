// The review queue: newest first, filtered by status and subject type.
import { AppError } from "@/lib/api/errors";
import { finishPage, idPage, listResponse, type ListResponse } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import { REVIEW_SELECT, toReviewDto } from "./review-rows";
import type { TListReviewsQuery, TReviewDto } from "./review.types";

export async function listReviews(merchantId: string, query: TListReviewsQuery): Promise<ListResponse<TReviewDto>> {
  const page = idPage(query);
  const rows = await db().review.findMany({
    where: { merchantId, ...page.where, ...(query.status ? { status: query.status } : {}), ...(query.subject_type ? { subjectType: query.subject_type } : {}) },
    orderBy: page.orderBy,
    take: page.take,
    select: REVIEW_SELECT,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/reviews", data.map(toReviewDto), hasMore);
}

export async function getReview(merchantId: string, reviewId: string): Promise<TReviewDto> {
  const row = await db().review.findFirst({ where: { id: reviewId, merchantId }, select: REVIEW_SELECT });
  if (!row) throw new AppError("resource_missing", `No such review: '${reviewId}'`, { param: "id" });
  return toReviewDto(row);
}
