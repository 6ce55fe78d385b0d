// Streams a run's discrepancies as CSV: keyset pages of EXPORT_PAGE_ROWS read one at a time, so the
// response starts at once and memory stays flat whatever the run's size.
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getRunOrThrow } from "./list-runs";
import type { TExportQuery } from "./reconciliation.types";

const EXPORT_PAGE_ROWS = 2_000;
export const EXPORT_COLUMNS = [
  "id", "class", "leg", "status", "object_type", "settle_id", "psp_reference", "balance_transaction_id", "psp_currency", "psp_amount",
  "settle_currency", "settle_amount", "difference", "currency", "occurred_at", "match_method", "suggested_action", "suggestion",
  "resolution", "resolution_note", "adjustment_transaction_id", "resolved_at",
] as const;

/** Quotes a field when it holds a comma, quote or line break; neutralises spreadsheet formulas. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export async function exportDiscrepanciesCsv(merchantId: string, runId: string, query: TExportQuery): Promise<ReadableStream<Uint8Array>> {
  await getRunOrThrow(merchantId, runId);
  const encoder = new TextEncoder();
  const where: Prisma.ReconciliationDiscrepancyWhereInput = {
    merchantId,
    runId,
    ...(query.class ? { class: query.class } : {}),
    ...(query.status ? { status: query.status } : {}),
  };
  let after: string | null = null;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(EXPORT_COLUMNS.join(",") + "\n"));
        return;
      }
      const rows = await db().reconciliationDiscrepancy.findMany({
        where: { ...where, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: "asc" },
        take: EXPORT_PAGE_ROWS,
        select: {
          id: true, class: true, leg: true, status: true, objectType: true, settleId: true, pspReference: true, balanceTransactionId: true,
          pspCurrency: true, pspAmount: true, settleCurrency: true, settleAmount: true, difference: true, currency: true, occurredAt: true,
          matchMethod: true, suggestedAction: true, suggestion: true, resolution: true, resolutionNote: true, adjustmentTransactionId: true, resolvedAt: true,
        },
      });
      if (rows.length === 0) {
        controller.close();
        return;
      }
      after = rows[rows.length - 1]!.id;
      const text = rows
        .map((r) =>
          [r.id, r.class, r.leg, r.status, r.objectType, r.settleId, r.pspReference, r.balanceTransactionId, r.pspCurrency, r.pspAmount,
            r.settleCurrency, r.settleAmount, r.difference, r.currency, r.occurredAt, r.matchMethod, r.suggestedAction, r.suggestion,
            r.resolution, r.resolutionNote, r.adjustmentTransactionId, r.resolvedAt].map(csvField).join(","),
        )
        .join("\n");
      controller.enqueue(encoder.encode(text + "\n"));
    },
  });
}
