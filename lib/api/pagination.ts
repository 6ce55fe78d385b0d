// Cursor pagination shared by every list endpoint: limit 1–100, starting_after / ending_before ids.
import { z } from "zod";

export const ZListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(10),
  starting_after: z.string().min(1).max(100).optional(),
  ending_before: z.string().min(1).max(100).optional(),
});
export type TListQuery = z.infer<typeof ZListQuery>;

export type ListResponse<T> = { object: "list"; data: T[]; has_more: boolean; url: string };

export function listResponse<T>(url: string, data: T[], hasMore: boolean): ListResponse<T> {
  return { object: "list", data, has_more: hasMore, url };
}

/**
 * Prisma arguments for id-keyed pages (ids sort by creation). Newest first; `ending_before` walks back.
 * Fetch one extra row to learn whether there is more.
 */
export function idPage(query: TListQuery): { where: { id?: { lt?: string; gt?: string } }; orderBy: { id: "asc" | "desc" }; take: number; reversed: boolean } {
  if (query.ending_before) return { where: { id: { gt: query.ending_before } }, orderBy: { id: "asc" }, take: query.limit + 1, reversed: true };
  return { where: query.starting_after ? { id: { lt: query.starting_after } } : {}, orderBy: { id: "desc" }, take: query.limit + 1, reversed: false };
}

export function finishPage<T>(rows: T[], query: TListQuery, reversed: boolean): { data: T[]; hasMore: boolean } {
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  return { data: reversed ? page.reverse() : page, hasMore };
}
