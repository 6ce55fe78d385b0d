// The upload endpoint's use case: a text/csv body is streamed into staging; a JSON body { csv, … } is
// accepted too (small reports, the dashboard). Then the report's period is reconciled.
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { zodToAppError } from "@/lib/api/zod-errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { getEnv } from "@/lib/env";
import { ZCurrencyCode } from "@/lib/money";
import { importSettlementReport, requestTextChunks } from "./import-settlement-report";
import { getRunOrThrow } from "./list-runs";
import { type TRunDto, ZUploadReportRequest } from "./reconciliation.types";

const ZQueryTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((value) => new Date(value));

export const ZUploadReportQuery = z.strictObject({
  period_start: ZQueryTime.optional(),
  period_end: ZQueryTime.optional(),
  currency: ZCurrencyCode.optional(),
  filename: z.string().min(1).max(255).optional(),
});
export type TUploadReportQuery = z.infer<typeof ZUploadReportQuery>;

async function* single(text: string) {
  yield text;
}

export async function uploadSettlementReport(input: {
  merchantId: string;
  actor: Actor;
  query: TUploadReportQuery;
  body: ReadableStream<Uint8Array> | null;
  contentType: string;
}): Promise<TRunDto> {
  let options = { ...input.query };
  let chunks: AsyncIterable<string>;
  if (/^application\/json\b/i.test(input.contentType)) {
    let text = "";
    for await (const chunk of requestTextChunks(input.body, getEnv().API_BODY_LIMIT_BYTES * 40)) text += chunk;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError("invalid_json", "The request body is not valid JSON.");
    }
    const parsed = ZUploadReportRequest.safeParse(json);
    if (!parsed.success) throw zodToAppError(parsed.error);
    const { csv, ...rest } = parsed.data;
    options = { ...options, ...rest };
    chunks = single(csv);
  } else if (/^text\/(csv|plain)\b/i.test(input.contentType)) {
    chunks = requestTextChunks(input.body);
  } else {
    throw new AppError("unsupported_content_type", "Send the settlement report as 'Content-Type: text/csv', or as JSON { \"csv\": \"…\" }.");
  }
  const { runId } = await importSettlementReport({
    merchantId: input.merchantId,
    actor: input.actor,
    chunks,
    filename: options.filename,
    periodStart: options.period_start,
    periodEnd: options.period_end,
    currency: options.currency,
  });
  return getRunOrThrow(input.merchantId, runId);
}
