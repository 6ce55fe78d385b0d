// Imports a settlement report in Stripe's itemized CSV format ("Itemized balance change from activity" /
// payout reconciliation: balance_transaction_id, created_utc, available_on_utc, currency, gross, fee,
// net, reporting_category, source_id, customer_facing_amount, …) into a new run's staging, streaming:
// the body is parsed chunk by chunk and staged in multi-row batches, never held whole in memory.
import { createHash } from "node:crypto";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { sqlPool } from "@/lib/db/client";
import { currencyExponent, isCurrencyCode } from "@/lib/money";
import { newId } from "@/lib/ids";
import { createReconciliationRun, executeReconciliationRun } from "./execute-run";
import { stagePspRecords, STAGE_BATCH_ROWS, type StagedPspRecord } from "./stage-psp-records";

/** Largest accepted report: 10 million rows is ~2.5 GB of CSV; past this, split by day. */
export const REPORT_BYTES_MAX = 4 * 1024 ** 3;
const REQUIRED_COLUMNS = ["balance_transaction_id", "created_utc", "currency", "gross", "fee", "net", "reporting_category"] as const;

/** RFC 4180 parser over a stream of text chunks: yields one array of fields per record. */
export async function* parseCsv(chunks: AsyncIterable<string>): AsyncGenerator<string[]> {
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let afterQuote = false;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (quoted) {
        if (c === '"') {
          if (chunk[i + 1] === '"') {
            field += '"';
            i++;
          } else if (i + 1 === chunk.length) {
            // A quote at a chunk boundary: decide on the next chunk's first character.
            quoted = false;
            afterQuote = true;
          } else {
            quoted = false;
          }
        } else field += c;
        continue;
      }
      if (afterQuote) {
        afterQuote = false;
        if (c === '"') {
          field += '"';
          quoted = true;
          continue;
        }
      }
      if (c === '"' && field === "") quoted = true;
      else if (c === ",") {
        record.push(field);
        field = "";
      } else if (c === "\n") {
        record.push(field.endsWith("\r") ? field.slice(0, -1) : field);
        if (record.length > 1 || record[0] !== "") yield record;
        record = [];
        field = "";
      } else field += c;
    }
  }
  if (quoted) throw new AppError("parameter_invalid", "The CSV ends inside a quoted field.", { param: "csv" });
  if (field !== "" || record.length > 0) {
    record.push(field.endsWith("\r") ? field.slice(0, -1) : field);
    yield record;
  }
}

/** "12.34" in a currency's major units → minor units (exact; no floats). */
export function decimalToMinor(text: string, currency: string, param: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new AppError("parameter_invalid", `'${text}' is not a decimal amount.`, { param });
  const exponent = currencyExponent(currency);
  const fraction = match[3] ?? "";
  if (fraction.length > exponent && /[1-9]/.test(fraction.slice(exponent))) {
    throw new AppError("parameter_invalid", `'${text}' has more decimals than ${currency} allows.`, { param });
  }
  const value = BigInt(match[2]! + fraction.slice(0, exponent).padEnd(exponent, "0"));
  return match[1] ? -value : value;
}

function parseTime(text: string, param: string): Date {
  const trimmed = text.trim();
  const date = /^\d+$/.test(trimmed) ? new Date(Number(trimmed) * 1000) : new Date(trimmed.includes("T") || trimmed.endsWith("Z") ? trimmed : `${trimmed.replace(" ", "T")}Z`);
  if (Number.isNaN(date.getTime())) throw new AppError("parameter_invalid", `'${text}' is not a time.`, { param });
  return date;
}

function currencyOf(text: string, param: string): string {
  const code = text.trim().toUpperCase();
  if (!isCurrencyCode(code)) throw new AppError("parameter_invalid", `'${text}' is not a currency.`, { param });
  return code;
}

/** One CSV record as a staging row; `line` for error messages. */
export function stagedFromReportRow(get: (column: string) => string | undefined, line: number): StagedPspRecord {
  const at = (column: string) => `csv line ${line}, ${column}`;
  const currency = currencyOf(get("currency") ?? "", at("currency"));
  const cfCurrencyText = get("customer_facing_currency");
  const cfCurrency = cfCurrencyText ? currencyOf(cfCurrencyText, at("customer_facing_currency")) : null;
  const cfAmountText = get("customer_facing_amount");
  const category = (get("reporting_category") ?? "").trim();
  const sourceId = get("source_id") || null;
  const exchangeRate = get("exchange_rate") || null;
  if (exchangeRate !== null && !/^\d+(\.\d+)?$/.test(exchangeRate)) throw new AppError("parameter_invalid", `'${exchangeRate}' is not a rate.`, { param: at("exchange_rate") });
  return {
    balanceTransactionId: (get("balance_transaction_id") ?? "").trim(),
    reportingCategory: category,
    type: get("type") || null,
    sourceId,
    chargeId: get("charge_id") || (sourceId?.startsWith("ch_") || sourceId?.startsWith("py_") ? sourceId : null),
    paymentIntentId: get("payment_intent_id") || null,
    settleRef: get("payment_metadata[settle_payment_id]") || get("refund_metadata[settle_refund_id]") || null,
    settleMerchantRef: get("payment_metadata[settle_merchant_id]") || null,
    createdAt: parseTime(get("created_utc") ?? "", at("created_utc")),
    availableOn: get("available_on_utc") ? parseTime(get("available_on_utc")!, at("available_on_utc")) : null,
    currency,
    gross: decimalToMinor(get("gross") ?? "", currency, at("gross")),
    fee: decimalToMinor(get("fee") ?? "", currency, at("fee")),
    net: decimalToMinor(get("net") ?? "", currency, at("net")),
    exchangeRate,
    customerFacingAmount: cfAmountText && cfCurrency ? decimalToMinor(cfAmountText, cfCurrency, at("customer_facing_amount")) : null,
    customerFacingCurrency: cfAmountText ? cfCurrency : null,
    status: get("status") || null,
    payoutId: get("automatic_payout_id") || (category === "payout" ? sourceId : null),
  };
}

export type ImportReportInput = {
  merchantId: string;
  actor: Actor;
  /** The CSV as a stream of text chunks. */
  chunks: AsyncIterable<string>;
  filename?: string;
  periodStart?: Date;
  periodEnd?: Date;
  currency?: string;
  /** Run the matcher right away (default true). */
  execute?: boolean;
};

const DAY_MS = 86_400_000;

/**
 * The period a report covers when the uploader gave none: from the start of the UTC day of its first
 * row to the end of the UTC day of its last (the period end is exclusive). Only one bound given: the
 * other is derived from the rows too.
 */
export function periodFromReportTimes(first: Date, last: Date, given: { periodStart?: Date; periodEnd?: Date } = {}): { periodStart: Date; periodEnd: Date } {
  const periodStart = given.periodStart ?? new Date(Math.floor(first.getTime() / DAY_MS) * DAY_MS);
  const periodEnd = given.periodEnd ?? new Date(Math.floor(last.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  return { periodStart, periodEnd };
}

/**
 * Stages every row (in batches, one transaction each) under a preset run id, then creates the run
 * (its period given, or taken from the report's dates) and reconciles it.
 */
export async function importSettlementReport(input: ImportReportInput): Promise<{ runId: string; rows: number }> {
  const runId = newId("reconciliationRun");
  let first: Date | null = null;
  let last: Date | null = null;
  const hash = createHash("sha256");
  async function* hashed() {
    for await (const chunk of input.chunks) {
      hash.update(chunk);
      yield chunk;
    }
  }
  const client = await sqlPool().connect();
  let rows = 0;
  try {
    let header: string[] | null = null;
    let index = new Map<string, number>();
    let batch: StagedPspRecord[] = [];
    let line = 0;
    for await (const record of parseCsv(hashed())) {
      line++;
      if (!header) {
        header = record.map((name) => name.trim().toLowerCase());
        index = new Map(header.map((name, i) => [name, i]));
        const missing = REQUIRED_COLUMNS.filter((column) => !index.has(column));
        if (missing.length > 0) throw new AppError("parameter_invalid", `The report lacks the column(s) ${missing.join(", ")}.`, { param: "csv" });
        continue;
      }
      const get = (column: string) => {
        const i = index.get(column);
        const value = i === undefined ? undefined : record[i];
        return value === undefined || value === "" ? undefined : value;
      };
      const staged = stagedFromReportRow(get, line);
      if (!first || staged.createdAt < first) first = staged.createdAt;
      if (!last || staged.createdAt > last) last = staged.createdAt;
      batch.push(staged);
      if (batch.length >= STAGE_BATCH_ROWS) {
        rows += await stagePspRecords(client, runId, batch);
        batch = [];
      }
    }
    if (!header) throw new AppError("parameter_invalid", "The report is empty.", { param: "csv" });
    rows += await stagePspRecords(client, runId, batch);
    const given = { periodStart: input.periodStart, periodEnd: input.periodEnd };
    // No rows and no period: the default period (yesterday), as for an API run.
    const period = first && last ? periodFromReportTimes(first, last, given) : given;
    // The run exists only once its rows are staged: a report that fails to parse leaves no run behind.
    await createReconciliationRun({
      id: runId,
      merchantId: input.merchantId,
      periodStart: period.periodStart,
      periodEnd: period.periodEnd,
      currency: input.currency,
      source: "report",
      reportFilename: input.filename,
      reportSha256: hash.digest("hex"),
      actor: input.actor,
    });
    await client.query(`UPDATE reconciliation_runs SET checkpoint = jsonb_set(checkpoint, '{import}', $2::jsonb), updated_at = now() WHERE id = $1`, [
      runId,
      JSON.stringify({ rows, done: true }),
    ]);
  } catch (error) {
    // A report that fails (to parse, or a period too long) leaves no staged rows behind.
    await client.query(`DELETE FROM reconciliation_psp_records WHERE run_id = $1`, [runId]).catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  if (input.execute !== false) await executeReconciliationRun(runId, { actor: input.actor });
  return { runId, rows };
}

/** Text chunks of a Request body (UTF-8), with a byte limit. */
export async function* requestTextChunks(body: ReadableStream<Uint8Array> | null, limitBytes = REPORT_BYTES_MAX): AsyncGenerator<string> {
  if (!body) return;
  const decoder = new TextDecoder("utf-8");
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError("body_too_large", `Settlement reports are limited to ${limitBytes} bytes; split the period.`);
    }
    yield decoder.decode(value, { stream: true });
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}
