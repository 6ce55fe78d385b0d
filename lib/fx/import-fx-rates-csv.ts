// Loads reference FX rates from CSV (the operator CLI calls this). Format, with a header line:
//   base,quote,rate,as_of,source      e.g. USD,EUR,0.9215,2026-11-20T00:00:00Z,ecb
// Lines starting with '#' and blank lines are ignored. The whole file is validated before anything
// is written; then all rows go in one transaction (a re-import of the same key replaces the rate).
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { isCurrencyCode, parseDecimal } from "@/lib/money";

export const FX_IMPORT_ROWS_MAX = 100_000;
const HEADER = ["base", "quote", "rate", "as_of", "source"] as const;

export type FxRateRow = { base: string; quote: string; rate: string; asOf: Date; source: string };

export function parseFxRatesCsv(csvText: string): FxRateRow[] {
  const lines = csvText.split(/\r?\n/).map((line, index) => ({ line: line.trim(), number: index + 1 }));
  const content = lines.filter(({ line }) => line !== "" && !line.startsWith("#"));
  const [header, ...data] = content;
  if (!header || header.line.toLowerCase().replace(/\s/g, "") !== HEADER.join(",")) {
    throw new AppError("parameter_invalid", `The FX rates file must start with the header line "${HEADER.join(",")}".`);
  }
  if (data.length > FX_IMPORT_ROWS_MAX) throw new AppError("parameter_invalid", `At most ${FX_IMPORT_ROWS_MAX} rates per file.`);
  return data.map(({ line, number }) => {
    const cells = line.split(",").map((cell) => cell.trim());
    const fail = (why: string) => new AppError("parameter_invalid", `FX rates line ${number}: ${why}`);
    if (cells.length !== HEADER.length) throw fail(`expected ${HEADER.length} comma-separated values, found ${cells.length}`);
    const [base, quote, rate, asOfText, source] = cells as [string, string, string, string, string];
    for (const code of [base, quote]) if (!isCurrencyCode(code)) throw fail(`'${code}' is not an active ISO 4217 currency code`);
    if (base === quote) throw fail("base and quote must differ");
    if (!/^\d{1,20}(\.\d{1,18})?$/.test(rate) || parseDecimal(rate).numerator <= 0n) throw fail(`rate '${rate}' must be a positive decimal like 0.9215`);
    const asOf = new Date(asOfText);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(asOfText) || Number.isNaN(asOf.getTime())) throw fail(`as_of '${asOfText}' must be an ISO 8601 time`);
    if (!/^[\w.:-]{1,100}$/.test(source)) throw fail(`source '${source}' must be 1-100 letters, digits, '.', ':', '_' or '-'`);
    return { base, quote, rate, asOf, source };
  });
}

/** Validates the file, then upserts every rate in one transaction. Returns how many rows were loaded. */
export async function importFxRatesCsv(csvText: string): Promise<{ imported: number }> {
  const rows = parseFxRatesCsv(csvText);
  if (rows.length === 0) return { imported: 0 };
  const client = await sqlPool().connect();
  try {
    await client.query("BEGIN");
    const BATCH_SIZE = 1_000;
    for (let start = 0; start < rows.length; start += BATCH_SIZE) {
      const batch = rows.slice(start, start + BATCH_SIZE).map((row) => ({ ...row, asOf: row.asOf.toISOString() }));
      await client.query(
        `INSERT INTO fx_rates (base, quote, rate, as_of, source)
         SELECT r.base, r.quote, r.rate::numeric, r."asOf"::timestamptz, r.source
         FROM jsonb_to_recordset($1::jsonb) AS r(base text, quote text, rate text, "asOf" text, source text)
         ON CONFLICT (base, quote, as_of, source) DO UPDATE SET rate = EXCLUDED.rate, imported_at = now()`,
        [JSON.stringify(batch)],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return { imported: rows.length };
}
