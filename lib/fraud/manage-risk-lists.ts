// A merchant's allow and block lists: list, add (idempotent on the same value), remove; changes audited.
import { AppError } from "@/lib/api/errors";
import { finishPage, idPage, listResponse, type ListResponse } from "@/lib/api/pagination";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { newRiskId } from "./risk-ids";
import {
  normalizeListValue,
  ZRiskListEntryDto,
  type TCreateRiskListEntryRequest,
  type TListRiskListEntriesQuery,
  type TRiskListEntryDto,
} from "./risk-lists.types";
import type { ListEntry } from "./rules/rule";

const SELECT = { id: true, listType: true, kind: true, value: true, note: true, createdAt: true } as const;
type Row = { id: string; listType: "allow" | "block"; kind: "email" | "card_fingerprint" | "ip" | "country"; value: string; note: string | null; createdAt: Date };

function toDto(row: Row): TRiskListEntryDto {
  return ZRiskListEntryDto.parse({ id: row.id, object: "risk_list_entry", list: row.listType, kind: row.kind, value: row.value, note: row.note, created: row.createdAt.toISOString() });
}

export async function listRiskListEntries(merchantId: string, query: TListRiskListEntriesQuery): Promise<ListResponse<TRiskListEntryDto>> {
  const page = idPage(query);
  const rows = await db().riskListEntry.findMany({
    where: { merchantId, ...page.where, ...(query.list ? { listType: query.list } : {}), ...(query.kind ? { kind: query.kind } : {}) },
    orderBy: page.orderBy,
    take: page.take,
    select: SELECT,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/risk/lists", data.map(toDto), hasMore);
}

export async function addRiskListEntry(input: TCreateRiskListEntryRequest & { merchantId: string; actor: Actor }): Promise<TRiskListEntryDto> {
  const value = normalizeListValue(input.kind, input.value);
  return db().$transaction(async (tx) => {
    const existing = await tx.riskListEntry.findUnique({
      where: { merchantId_listType_kind_value: { merchantId: input.merchantId, listType: input.list, kind: input.kind, value } },
      select: SELECT,
    });
    if (existing) return toDto(existing);
    const row = await tx.riskListEntry.create({
      data: { id: newRiskId("rle"), merchantId: input.merchantId, listType: input.list, kind: input.kind, value, note: input.note ?? null, createdBy: input.actor.id },
      select: SELECT,
    });
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "risk_list.entry_added", target: { type: "risk_list_entry", id: row.id }, data: { list: input.list, kind: input.kind, value } },
      tx,
    );
    return toDto(row);
  });
}

export async function removeRiskListEntry(input: { merchantId: string; id: string; actor: Actor }): Promise<TRiskListEntryDto & { deleted: true }> {
  return db().$transaction(async (tx) => {
    const row = await tx.riskListEntry.findFirst({ where: { id: input.id, merchantId: input.merchantId }, select: SELECT });
    if (!row) throw new AppError("resource_missing", `No such list entry: '${input.id}'`, { param: "id" });
    await tx.riskListEntry.delete({ where: { id: row.id } });
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "risk_list.entry_removed", target: { type: "risk_list_entry", id: row.id }, data: { list: row.listType, kind: row.kind, value: row.value } },
      tx,
    );
    return { ...toDto(row), deleted: true as const };
  });
}

/** The entries matching one attempt's email (or its domain), card, IP, IP country or billing country. */
export async function findListMatches(
  merchantId: string,
  attempt: { email?: string; cardFingerprint?: string; ipAddress?: string; ipCountry?: string | null; billingCountry?: string },
): Promise<ListEntry[]> {
  const or: { kind: Row["kind"]; value: string }[] = [];
  if (attempt.email) {
    or.push({ kind: "email", value: normalizeListValue("email", attempt.email) });
    const domain = attempt.email.split("@")[1];
    if (domain) or.push({ kind: "email", value: `@${domain.toLowerCase()}` });
  }
  if (attempt.cardFingerprint) or.push({ kind: "card_fingerprint", value: attempt.cardFingerprint });
  if (attempt.ipAddress) or.push({ kind: "ip", value: normalizeListValue("ip", attempt.ipAddress) });
  for (const country of [attempt.ipCountry, attempt.billingCountry]) if (country) or.push({ kind: "country", value: country.toUpperCase() });
  if (or.length === 0) return [];
  return db().riskListEntry.findMany({ where: { merchantId, OR: or }, select: { listType: true, kind: true, value: true }, take: 50 });
}
