// AML monitoring of wallet transfers against a real database and ledger: travel rule, rapid in-and-out
// through a funded wallet, structuring across recorded transfers, FX to USD-equivalent, sanctions.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { screenName } from "@/lib/compliance/sanctions/screen-name";
import { importSanctionsCsv } from "@/lib/compliance/sanctions/import-sanctions-csv";
import { db } from "@/lib/db/client";
import { importFxRatesCsv } from "@/lib/fx";
import { createFundedWallet, createTestMerchant } from "@/lib/ledger/testing";
import { assessTransferRisk } from "./assess-transfer-risk";

const HOUR = 3_600_000;
const NOW = new Date();
const base = { fromAccountId: "acct_none_a", toAccountId: "acct_none_b", currency: "USD", occurredAt: NOW };

describe("assessTransferRisk", () => {
  it("requires travel-rule names at 1,000 USD, not at 999.99", async () => {
    const merchantId = await createTestMerchant();
    const under = await assessTransferRisk({ ...base, merchantId, transferId: "trf_u", amountMinor: 99_999n });
    expect(under).toMatchObject({ outcome: "allow", reasons: [] });
    const at = await assessTransferRisk({ ...base, merchantId, transferId: "trf_a", amountMinor: 100_000n });
    expect(at.outcome).toBe("review");
    expect(at.reasons[0]!.rule).toBe("aml_travel_rule");
    const named = await assessTransferRisk({ ...base, merchantId, transferId: "trf_n", amountMinor: 100_000n, originatorName: "Ann Lee", beneficiaryName: "Bo Chen" });
    expect(named.outcome).toBe("allow");
    expect(await db().amlTransfer.count({ where: { merchantId } })).toBe(3);
    const review = await db().review.findUniqueOrThrow({ where: { id: at.reviewId! } });
    expect(review).toMatchObject({ subjectType: "transfer", subjectId: "trf_a", status: "pending" });
  });

  it("flags money that leaves a wallet soon after it came in", async () => {
    const merchantId = await createTestMerchant();
    const wallet = await createFundedWallet(merchantId, "USD", 500_000n); // 5,000 USD in
    const names = { originatorName: "Ann Lee", beneficiaryName: "Bo Chen" };
    const small = await assessTransferRisk({ ...base, ...names, merchantId, transferId: "trf_s", fromAccountId: wallet, amountMinor: 399_999n });
    expect(small.outcome).toBe("allow");
    const most = await assessTransferRisk({ ...base, ...names, merchantId, transferId: "trf_m", fromAccountId: wallet, amountMinor: 400_000n, occurredAt: new Date() });
    expect(most.outcome).toBe("review");
    expect(most.reasons.map((r) => r.rule)).toEqual(["aml_rapid_in_out"]);
    // Outside the window (funding is older than 24 h by then) nothing is flagged.
    const later = await assessTransferRisk({ ...base, ...names, merchantId, transferId: "trf_l", fromAccountId: wallet, amountMinor: 400_000n, occurredAt: new Date(Date.now() + 25 * HOUR) });
    expect(later.reasons.some((r) => r.rule === "aml_rapid_in_out")).toBe(false);
  });

  it("detects structuring across a customer's transfers, using FX for EUR amounts", async () => {
    const merchantId = await createTestMerchant();
    await importFxRatesCsv(readFileSync(path.resolve(import.meta.dirname, "../../../data/fx-rates.csv"), "utf8"));
    const names = { originatorName: "Ann Lee", beneficiaryName: "Bo Chen", customerId: "cus_s" };
    const at = (hours: number) => new Date(Date.parse("2026-11-21T12:00:00Z") - hours * HOUR);
    // 9,500 USD, then EUR worth about 9,766 USD, then 9,900 USD within 72 h.
    expect((await assessTransferRisk({ ...base, ...names, merchantId, transferId: "t1", amountMinor: 950_000n, occurredAt: at(48) })).outcome).toBe("allow");
    expect((await assessTransferRisk({ ...base, ...names, merchantId, transferId: "t2", amountMinor: 900_000n, currency: "EUR", occurredAt: at(24) })).outcome).toBe("allow");
    const third = await assessTransferRisk({ ...base, ...names, merchantId, transferId: "t3", amountMinor: 990_000n, occurredAt: at(0) });
    expect(third.outcome).toBe("review");
    expect(third.reasons.map((r) => r.rule)).toContain("aml_structuring");
    // t2 is exactly 24 h old: outside the daily window, so no daily-aggregate hit.
    expect(third.reasons.map((r) => r.rule)).not.toContain("aml_daily_aggregate");
    const stored = await db().amlTransfer.findFirstOrThrow({ where: { merchantId, transferId: "t2" } });
    expect(stored.amountUsdMinor).toBeGreaterThan(900_000n);
  });

  it("holds a transfer whose beneficiary is on a sanctions list", async () => {
    const merchantId = await createTestMerchant();
    await importSanctionsCsv(readFileSync(path.resolve(import.meta.dirname, "../../../data/sanctions-sample.csv"), "utf8"));
    const result = await assessTransferRisk({ ...base, merchantId, transferId: "trf_x", amountMinor: 5_000n, originatorName: "Ann Lee", beneficiaryName: "Oksana Zheleznyak" });
    expect(result.outcome).toBe("review");
    expect(result.reasons[0]!.detail).toMatch(/ZHELEZNYAK, Oksana/);
  });
});

describe("screenName", () => {
  it("screens against the imported lists, and a re-import replaces a list", async () => {
    await importSanctionsCsv(readFileSync(path.resolve(import.meta.dirname, "../../../data/sanctions-sample.csv"), "utf8"));
    expect(await screenName("Viktor Morozko")).toMatchObject({ hit: true, matches: [{ listedName: "MOROZKO, Viktor Aleksandrovich", listId: "SAMPLE-SDN" }] });
    expect(await screenName("Ada Lovelace")).toEqual({ hit: false, matches: [] });
    expect(await screenName("")).toEqual({ hit: false, matches: [] });
    await importSanctionsCsv("list_id,entry_ref,name,type\nSAMPLE-SDN,1,Ada Lovelace,individual\n");
    expect((await screenName("Ada Lovelace")).hit).toBe(true);
    expect((await screenName("Viktor Morozko")).hit).toBe(false);
    expect((await screenName("Dragomir Vukasinovic")).hit).toBe(true); // SAMPLE-EU untouched
  });
});
