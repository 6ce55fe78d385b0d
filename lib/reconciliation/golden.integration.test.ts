// Golden data sets: Settle data (settle.json) + a PSP settlement report (psp.csv) → the expected report
// (expected.json), compared exactly. UPDATE_GOLDEN=1 rewrites expected.json after a reviewed change.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { sqlPool } from "@/lib/db/client";
import { ensureMerchantAccounts, postTransactionNow } from "@/lib/ledger";
import { makeMerchant } from "@/tests/fixtures";
import { importSettlementReport } from "./import-settlement-report";
import { getRunOrThrow, listDiscrepancies } from "./list-runs";

const GOLDEN_DIR = path.join(import.meta.dirname, "golden");

type GoldenPayment = { id: string; status: string; amount: number; currency: string; fee: number | null; pi: string; charge: string | null; at: string; ledger?: boolean };

async function seed(merchantId: string, payments: GoldenPayment[]): Promise<void> {
  for (const p of payments) {
    const captured = ["captured", "settled", "refunded"].includes(p.status);
    await sqlPool().query(
      `INSERT INTO payments (id, merchant_id, amount, amount_captured, currency, status, capture_method, payment_method_type, payment_method,
                             idempotency_key, psp_payment_intent_id, psp_charge_id, receipt_number, receipt_token, fee_amount, created_at, captured_at)
       VALUES ($1, $2, $3, $4, $5, $6::"PaymentStatus", 'automatic', 'card', 'pm_card_visa', $1, $7, $8, 'R-' || $1, 'rt-' || $1, $9, $10, $11)`,
      [p.id, merchantId, p.amount, captured ? p.amount : 0, p.currency, p.status, p.pi, p.charge, p.fee, p.at, captured ? p.at : null],
    );
    if (captured && p.ledger !== false) {
      const chart = await ensureMerchantAccounts(sqlPool(), merchantId, p.currency);
      const fee = BigInt(p.fee ?? 0);
      await postTransactionNow({
        merchantId,
        description: `Capture of ${p.id}`,
        externalRef: `payment:${p.id}:capture`,
        entries: [
          { accountId: chart.psp_receivable, direction: "debit", amountMinor: BigInt(p.amount) - fee, currency: p.currency },
          ...(fee > 0n ? [{ accountId: chart.psp_fees, direction: "debit" as const, amountMinor: fee, currency: p.currency }] : []),
          { accountId: chart.merchant_pending, direction: "credit", amountMinor: BigInt(p.amount), currency: p.currency },
        ],
      });
    }
  }
}

describe("reconciliation golden data sets", () => {
  for (const name of readdirSync(GOLDEN_DIR)) {
    test(name, async () => {
      const dir = path.join(GOLDEN_DIR, name);
      const settle = JSON.parse(readFileSync(path.join(dir, "settle.json"), "utf8")) as { period: { start: string; end: string }; payments: GoldenPayment[] };
      const { merchantId } = await makeMerchant(`golden ${name}`);
      await seed(merchantId, settle.payments);
      const csv = readFileSync(path.join(dir, "psp.csv"), "utf8");
      // Stream it in small chunks so chunk boundaries fall inside fields and quotes.
      async function* chunks() {
        for (let i = 0; i < csv.length; i += 7) yield csv.slice(i, i + 7);
      }
      const { runId } = await importSettlementReport({
        merchantId,
        actor: { type: "system", id: "golden" },
        chunks: chunks(),
        filename: "psp.csv",
        periodStart: new Date(settle.period.start),
        periodEnd: new Date(settle.period.end),
      });
      const run = await getRunOrThrow(merchantId, runId);
      const list = await listDiscrepancies(merchantId, runId, { limit: 100 });
      const report = {
        state: run.state,
        counts: { psp: run.psp_record_count, settle: run.settle_record_count, matched: run.matched_count, discrepancies: run.discrepancy_count, unexplained: run.unexplained_count },
        totals: run.totals,
        discrepancies: list.data
          .map((d) => ({
            class: d.class, leg: d.leg, object_type: d.object_type, settle_id: d.settle_id, psp_reference: d.psp_reference,
            balance_transaction: d.balance_transaction, psp_currency: d.psp_currency, psp_amount: d.psp_amount, settle_currency: d.settle_currency,
            settle_amount: d.settle_amount, difference: d.difference, currency: d.currency, match_method: d.match_method, suggested_action: d.suggested_action,
          }))
          .sort((a, b) => `${a.class}|${a.balance_transaction}|${a.settle_id}`.localeCompare(`${b.class}|${b.balance_transaction}|${b.settle_id}`)),
      };
      const expectedPath = path.join(dir, "expected.json");
      if (process.env.UPDATE_GOLDEN === "1") writeFileSync(expectedPath, JSON.stringify(report, null, 2) + "\n");
      expect(report).toEqual(JSON.parse(readFileSync(expectedPath, "utf8")));
      // Every cent explained: PSP net is clean matches plus discrepancies, per currency.
      for (const totals of run.totals ?? []) expect([totals.currency, Number(totals.psp_unexplained)]).toEqual([totals.currency, 0]);
    });
  }
});
