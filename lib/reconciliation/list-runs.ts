// Reading runs and their discrepancies: DTOs, keyset pages, and the dashboard's alert for the latest run.
import { finishPage, idPage, listResponse, type ListResponse } from "@/lib/api/pagination";
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  type RunState,
  type TCurrencyTotals,
  type TDiscrepancyDto,
  type TListDiscrepanciesQuery,
  type TListRunsQuery,
  type TRunDto,
  ZDiscrepancyDto,
  ZRunDto,
} from "./reconciliation.types";

export const RUN_SELECT = {
  id: true, periodStart: true, periodEnd: true, currencyScope: true, version: true, isCurrent: true, state: true, source: true,
  reportFilename: true, pspRecordCount: true, settleRecordCount: true, matchedCount: true, discrepancyCount: true, unexplainedCount: true,
  totals: true, error: true, createdAt: true, startedAt: true, finishedAt: true, durationMs: true,
} as const satisfies Prisma.ReconciliationRunSelect;
type RunRecord = Prisma.ReconciliationRunGetPayload<{ select: typeof RUN_SELECT }>;

export const DISCREPANCY_SELECT = {
  id: true, runId: true, class: true, leg: true, status: true, objectType: true, settleId: true, pspReference: true, balanceTransactionId: true,
  pspCurrency: true, pspAmount: true, settleCurrency: true, settleAmount: true, difference: true, currency: true, occurredAt: true,
  matchMethod: true, checks: true, pspRecord: true, settleRecord: true, suggestedAction: true, suggestion: true, resolution: true,
  resolutionNote: true, adjustmentTransactionId: true, resolvedAt: true, carriedFromId: true,
} as const satisfies Prisma.ReconciliationDiscrepancySelect;
type DiscrepancyRecord = Prisma.ReconciliationDiscrepancyGetPayload<{ select: typeof DISCREPANCY_SELECT }>;

const minor = (value: bigint) => (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString());

export function toRunDto(run: RunRecord): TRunDto {
  return ZRunDto.parse({
    id: run.id,
    object: "reconciliation_run",
    period_start: run.periodStart.toISOString(),
    period_end: run.periodEnd.toISOString(),
    currency: run.currencyScope === "ALL" ? null : run.currencyScope,
    version: run.version,
    current: run.isCurrent,
    state: run.state as RunState,
    source: run.source,
    report_filename: run.reportFilename,
    psp_record_count: minor(run.pspRecordCount),
    settle_record_count: minor(run.settleRecordCount),
    matched_count: minor(run.matchedCount),
    discrepancy_count: minor(run.discrepancyCount),
    unexplained_count: minor(run.unexplainedCount),
    totals: (run.totals as TCurrencyTotals[] | null) ?? null,
    error: run.error,
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    duration_ms: run.durationMs,
  });
}

export function toDiscrepancyDto(d: DiscrepancyRecord): TDiscrepancyDto {
  return ZDiscrepancyDto.parse({
    id: d.id,
    object: "reconciliation_discrepancy",
    run: d.runId,
    class: d.class,
    leg: d.leg,
    status: d.status,
    object_type: d.objectType,
    settle_id: d.settleId,
    psp_reference: d.pspReference,
    balance_transaction: d.balanceTransactionId,
    psp_currency: d.pspCurrency,
    psp_amount: d.pspAmount === null ? null : minor(d.pspAmount),
    settle_currency: d.settleCurrency,
    settle_amount: d.settleAmount === null ? null : minor(d.settleAmount),
    difference: minor(d.difference),
    currency: d.currency,
    occurred_at: d.occurredAt?.toISOString() ?? null,
    match_method: d.matchMethod,
    checks: d.checks,
    psp_record: d.pspRecord,
    settle_record: d.settleRecord,
    suggested_action: d.suggestedAction,
    suggestion: d.suggestion,
    resolution: d.resolution,
    resolution_note: d.resolutionNote,
    adjustment_transaction: d.adjustmentTransactionId,
    resolved_at: d.resolvedAt?.toISOString() ?? null,
    carried_from: d.carriedFromId,
  });
}

export async function listRuns(merchantId: string, query: TListRunsQuery): Promise<ListResponse<TRunDto>> {
  const page = idPage(query);
  const rows = await db().reconciliationRun.findMany({
    where: { merchantId, ...page.where, ...(query.current ? { isCurrent: query.current === "true" } : {}) },
    orderBy: page.orderBy,
    take: page.take,
    select: RUN_SELECT,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/reconciliation/runs", data.map(toRunDto), hasMore);
}

export async function getRunOrThrow(merchantId: string, runId: string): Promise<TRunDto> {
  const run = await db().reconciliationRun.findFirst({ where: { id: runId, merchantId }, select: RUN_SELECT });
  if (!run) throw new AppError("resource_missing", `No such reconciliation run: '${runId}'`, { param: "id" });
  return toRunDto(run);
}

export async function listDiscrepancies(merchantId: string, runId: string, query: TListDiscrepanciesQuery): Promise<ListResponse<TDiscrepancyDto>> {
  const page = idPage(query);
  const rows = await db().reconciliationDiscrepancy.findMany({
    where: { merchantId, runId, ...page.where, ...(query.class ? { class: query.class } : {}), ...(query.status ? { status: query.status } : {}) },
    orderBy: page.orderBy,
    take: page.take,
    select: DISCREPANCY_SELECT,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse(`/api/v1/reconciliation/runs/${runId}`, data.map(toDiscrepancyDto), hasMore);
}

/** A run with the first page of its discrepancies. */
export async function getRunWithDiscrepancies(merchantId: string, runId: string, query: TListDiscrepanciesQuery) {
  const run = await getRunOrThrow(merchantId, runId);
  return { ...run, discrepancies: await listDiscrepancies(merchantId, runId, query) };
}

/** For the dashboard banner: the newest current run that still has open discrepancies. */
export async function findUnexplainedAlert(merchantId: string): Promise<TRunDto | null> {
  const run = await db().reconciliationRun.findFirst({
    where: { merchantId, isCurrent: true },
    orderBy: { periodStart: "desc" },
    select: RUN_SELECT,
  });
  return run && run.unexplainedCount > 0n ? toRunDto(run) : null;
}
