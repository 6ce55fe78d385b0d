// Read models against a real database: keyset pages in every sort visit each payment exactly once,
// filters narrow correctly, the CSV export streams every row in 1,000-row batches, and the overview's
// totals equal the sums of the rows.
import { beforeAll, describe, expect, test } from "vitest";
import { sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { makeMerchant } from "@/tests/fixtures";
import { getOverview } from "./get-overview";
import { CSV_COLUMNS, exportPaymentsCsv, listDashboardPayments } from "./list-payments";
import { PAYMENT_SORTS, parsePaymentsFilter } from "./payments-query";

const COUNT = 2_345;
let merchantId: string;
const amounts: bigint[] = [];

beforeAll(async () => {
  merchantId = (await makeMerchant("Dashboard reads")).merchantId;
  const now = Date.now();
  const rows: unknown[][] = [];
  for (let i = 0; i < COUNT; i++) {
    const created = new Date(now - (COUNT - i) * 60_000); // one a minute, the newest a minute ago
    const amount = BigInt(100 + (i % 37) * 10); // many equal amounts: the (amount, id) tiebreak matters
    amounts.push(amount);
    rows.push([newId("payment", created.getTime()), merchantId, amount, i % 7 === 0 ? 0n : amount, i % 5 === 0 ? "EUR" : "USD", i % 7 === 0 ? "failed" : "captured", created, i]);
  }
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const values = batch.map((_, j) => `($${j * 8 + 1}, $${j * 8 + 2}, $${j * 8 + 3}, $${j * 8 + 4}, $${j * 8 + 5}, $${j * 8 + 6}::"PaymentStatus", 'automatic', 'card', 'pm_card_visa', '{"type":"card","brand":"visa","last4":"4242","wallet":null}', 'k-' || $${j * 8 + 8}, 'R-' || $${j * 8 + 8}, 't-' || $${j * 8 + 8}, $${j * 8 + 7}, $${j * 8 + 7})`);
    await sqlPool().query(
      `INSERT INTO payments (id, merchant_id, amount, amount_captured, currency, status, capture_method, payment_method_type, payment_method, payment_method_details, idempotency_key, receipt_number, receipt_token, created_at, updated_at)
       VALUES ${values.join(", ")}`,
      batch.flat(),
    );
  }
});

async function walk(sort: (typeof PAYMENT_SORTS)[number], extra: Record<string, string> = {}) {
  const seen: { id: string; amount: bigint }[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 200; page++) {
    const result = await listDashboardPayments(merchantId, parsePaymentsFilter({ sort, ...extra, ...(cursor ? { cursor } : {}) }), 100);
    seen.push(...result.rows.map((row) => ({ id: row.id, amount: BigInt(row.amountMinor) })));
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return seen;
}

describe("payments table", () => {
  test.each(PAYMENT_SORTS)("sort %s: every payment exactly once, in order", async (sort) => {
    const seen = await walk(sort);
    expect(seen).toHaveLength(COUNT);
    expect(new Set(seen.map((row) => row.id)).size).toBe(COUNT);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      if (sort === "newest") expect(a.id > b.id).toBe(true);
      if (sort === "oldest") expect(a.id < b.id).toBe(true);
      if (sort === "amount_desc") expect(a.amount > b.amount || (a.amount === b.amount && a.id > b.id)).toBe(true);
      if (sort === "amount_asc") expect(a.amount < b.amount || (a.amount === b.amount && a.id < b.id)).toBe(true);
    }
  });

  test("filters: status, currency, amount search and a date range", async () => {
    expect(await walk("newest", { status: "failed" })).toHaveLength(Math.ceil(COUNT / 7));
    expect(await walk("newest", { currency: "EUR" })).toHaveLength(Math.ceil(COUNT / 5));
    const amountHits = await walk("newest", { q: "1.00" });
    expect(amountHits.length).toBe(amounts.filter((a) => a === 100n).length);
    const today = new Date().toISOString().slice(0, 10);
    const inRange = await walk("newest", { from: today, to: today });
    const startOfDay = new Date(`${today}T00:00:00Z`).getTime();
    const expected = [...Array(COUNT).keys()].filter((i) => Date.now() - (COUNT - i) * 60_000 >= startOfDay).length;
    expect(Math.abs(inRange.length - expected)).toBeLessThanOrEqual(1); // a minute may tick over while the test runs
  });
});

describe("CSV export", () => {
  test("streams a header and every row for the filter", async () => {
    const stream = exportPaymentsCsv({ merchantId, filter: parsePaymentsFilter({ currency: "USD" }), actor: { type: "system", id: "test" } });
    const text = await new Response(stream).text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(1 + COUNT - Math.ceil(COUNT / 5));
    expect(lines.slice(1).every((line) => line.split(",")[4] === "USD")).toBe(true);
  });
});

describe("overview", () => {
  test("totals per currency equal the rows' sums", async () => {
    const overview = await getOverview(merchantId, 7);
    const usd = overview.currencies.find((c) => c.currency === "USD")!;
    const { rows } = await sqlPool().query<{ gross: bigint; ok: bigint; failed: bigint }>(
      `SELECT SUM(amount_captured) FILTER (WHERE status = 'captured') AS gross, COUNT(*) FILTER (WHERE status = 'captured') AS ok, COUNT(*) FILTER (WHERE status = 'failed') AS failed
         FROM payments WHERE merchant_id = $1 AND currency = 'USD'`,
      [merchantId],
    );
    expect(usd.totals.grossMinor).toBe(BigInt(rows[0]!.gross));
    expect(usd.totals.succeeded).toBe(Number(rows[0]!.ok));
    expect(usd.totals.failed).toBe(Number(rows[0]!.failed));
    expect(usd.days).toHaveLength(7);
    expect(usd.days.reduce((sum, day) => sum + day.grossMinor, 0n)).toBe(usd.totals.grossMinor);
  });
});
