// Request and response schemas of the reconciliation API and dashboard.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";
import { ZCurrencyCode } from "@/lib/money";

export const DISCREPANCY_CLASSES = [
  "missing_in_settle",
  "missing_at_psp",
  "missing_in_ledger",
  "amount_mismatch",
  "currency_mismatch",
  "status_mismatch",
  "fee_mismatch",
  "duplicate",
  "timing",
] as const;
export type DiscrepancyClass = (typeof DISCREPANCY_CLASSES)[number];

export const RESOLUTION_ACTIONS = ["adjust", "resync", "accept"] as const;
export type ResolutionAction = (typeof RESOLUTION_ACTIONS)[number];

export const RUN_STATES = ["pending", "fetching", "staged", "matched", "completed", "failed"] as const;
export type RunState = (typeof RUN_STATES)[number];

/** Longest period one run may cover: bounds the staging and the windows the matcher scans. */
export const PERIOD_DAYS_MAX = 31;

const ZTimestamp = z.union([z.iso.datetime({ offset: true }), z.iso.date(), z.number().int().positive()]).transform((value) =>
  typeof value === "number" ? new Date(value * 1000) : new Date(value),
);

export const ZCreateRunRequest = z
  .strictObject({
    /** ISO date/time or Unix seconds; default: the start of yesterday (UTC). */
    period_start: ZTimestamp.optional(),
    /** Exclusive; default: period_start + 1 day. */
    period_end: ZTimestamp.optional(),
    currency: ZCurrencyCode.optional(),
  })
  .refine((value) => !value.period_start || !value.period_end || value.period_end > value.period_start, {
    message: "period_end must be after period_start",
    path: ["period_end"],
  });
export type TCreateRunRequest = z.infer<typeof ZCreateRunRequest>;

export const ZUploadReportRequest = z.strictObject({
  /** The settlement report in Stripe's itemized CSV format. */
  csv: z.string().min(1),
  filename: z.string().min(1).max(255).optional(),
  period_start: ZTimestamp.optional(),
  period_end: ZTimestamp.optional(),
  currency: ZCurrencyCode.optional(),
});
export type TUploadReportRequest = z.infer<typeof ZUploadReportRequest>;

export const ZListRunsQuery = ZListQuery.extend({
  current: z.enum(["true", "false"]).optional(),
});
export type TListRunsQuery = z.infer<typeof ZListRunsQuery>;

export const ZListDiscrepanciesQuery = ZListQuery.extend({
  class: z.enum(DISCREPANCY_CLASSES).optional(),
  status: z.enum(["open", "resolved"]).optional(),
});
export type TListDiscrepanciesQuery = z.infer<typeof ZListDiscrepanciesQuery>;

export const ZExportQuery = z.strictObject({
  class: z.enum(DISCREPANCY_CLASSES).optional(),
  status: z.enum(["open", "resolved"]).optional(),
});
export type TExportQuery = z.infer<typeof ZExportQuery>;

export const ZResolveDiscrepancyRequest = z.strictObject({
  action: z.enum(RESOLUTION_ACTIONS),
  note: z.string().trim().min(1).max(2_000),
});
export type TResolveDiscrepancyRequest = z.infer<typeof ZResolveDiscrepancyRequest>;

const ZMinor = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);

export const ZCurrencyTotals = z.object({
  currency: z.string(),
  psp_count: z.number().int(),
  psp_gross: ZMinor,
  psp_fee: ZMinor,
  psp_net: ZMinor,
  payouts: ZMinor,
  money_in: ZMinor,
  money_out: ZMinor,
  settle_count: z.number().int(),
  settle_net: ZMinor,
  matched_count: z.number().int(),
  matched_net: ZMinor,
  unmatched_psp_count: z.number().int(),
  unmatched_psp_net: ZMinor,
  unmatched_settle_count: z.number().int(),
  unmatched_settle_net: ZMinor,
  discrepancy_count: z.number().int(),
  difference: ZMinor,
  /** PSP net not accounted for by clean matches plus discrepancies: 0 when every cent is explained. */
  psp_unexplained: ZMinor,
  settle_unexplained: ZMinor,
});
export type TCurrencyTotals = z.infer<typeof ZCurrencyTotals>;

export const ZRunDto = z.object({
  id: z.string(),
  object: z.literal("reconciliation_run"),
  period_start: z.string(),
  period_end: z.string(),
  currency: z.string().nullable(),
  version: z.number().int(),
  current: z.boolean(),
  state: z.enum(RUN_STATES),
  source: z.string(),
  report_filename: z.string().nullable(),
  psp_record_count: ZMinor,
  settle_record_count: ZMinor,
  matched_count: ZMinor,
  discrepancy_count: ZMinor,
  unexplained_count: ZMinor,
  totals: z.array(ZCurrencyTotals).nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
});
export type TRunDto = z.infer<typeof ZRunDto>;

export const ZDiscrepancyDto = z.object({
  id: z.string(),
  object: z.literal("reconciliation_discrepancy"),
  run: z.string(),
  class: z.enum(DISCREPANCY_CLASSES),
  leg: z.enum(["psp_settle", "settle_ledger"]),
  status: z.enum(["open", "resolved"]),
  object_type: z.string(),
  settle_id: z.string().nullable(),
  psp_reference: z.string().nullable(),
  balance_transaction: z.string().nullable(),
  psp_currency: z.string().nullable(),
  psp_amount: ZMinor.nullable(),
  settle_currency: z.string().nullable(),
  settle_amount: ZMinor.nullable(),
  difference: ZMinor,
  currency: z.string(),
  occurred_at: z.string().nullable(),
  match_method: z.string().nullable(),
  checks: z.unknown(),
  psp_record: z.unknown(),
  settle_record: z.unknown(),
  suggested_action: z.enum(RESOLUTION_ACTIONS),
  suggestion: z.string(),
  resolution: z.enum(RESOLUTION_ACTIONS).nullable(),
  resolution_note: z.string().nullable(),
  adjustment_transaction: z.string().nullable(),
  resolved_at: z.string().nullable(),
  carried_from: z.string().nullable(),
});
export type TDiscrepancyDto = z.infer<typeof ZDiscrepancyDto>;
