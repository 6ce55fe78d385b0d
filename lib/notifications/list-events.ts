// Reading the event log: GET /api/v1/events and /api/v1/events/:id (and the dashboard's event log).
import { AppError } from "@/lib/api/errors";
import { finishPage, idPage, listResponse, type ListResponse } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import { toMerchantEventJson, type MerchantEventJson } from "./event-json";
import type { TListEventsQuery } from "./webhook-endpoints.types";

const EVENT_SELECT = { id: true, type: true, objectType: true, objectId: true, objectVersion: true, payload: true, createdAt: true } as const;

export async function listEvents(merchantId: string, query: TListEventsQuery): Promise<ListResponse<MerchantEventJson>> {
  const page = idPage(query);
  // "payment.*" lists every payment event; otherwise the exact type.
  const type = query.type?.endsWith(".*") ? { startsWith: query.type.slice(0, -1) } : query.type;
  const rows = await db().merchantEvent.findMany({
    where: { merchantId, ...(type ? { type } : {}), ...(query.object_id ? { objectId: query.object_id } : {}), ...page.where },
    orderBy: page.orderBy,
    take: page.take,
    select: EVENT_SELECT,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/events", data.map(toMerchantEventJson), hasMore);
}

export async function getEvent(merchantId: string, id: string): Promise<MerchantEventJson> {
  const row = await db().merchantEvent.findFirst({ where: { id, merchantId }, select: EVENT_SELECT });
  if (!row) throw new AppError("resource_missing", `No such event: '${id}'`, { param: "id" });
  return toMerchantEventJson(row);
}
