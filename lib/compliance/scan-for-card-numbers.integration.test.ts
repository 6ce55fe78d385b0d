// The PAN scan: zero hits over a database filled through the APIs, exactly the planted hit in a control
// database and log file, and the one narrow ignore rule (digits inside our own ids).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { POST as eraseRoute } from "@/app/api/v1/customers/[id]/erase/route";
import { GET as exportRoute } from "@/app/api/v1/customers/[id]/export/route";
import { GET as getRoute } from "@/app/api/v1/customers/[id]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/customers/route";
import { GET as verifyRoute } from "@/app/api/v1/audit/verify/route";
import { signIn } from "@/lib/auth/sign-in";
import { recordCustomerActivity } from "@/lib/customers/record-customer-activity";
import { sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { fundAccount } from "@/lib/ledger/testing";
import { createAccount } from "@/lib/ledger/create-account";
import { createUser } from "@/lib/tenancy/manage-tenancy";
import { apiRequest, makeMerchant, routeParams } from "@/tests/fixtures";
import { findCardNumbersOutsideOwnIds, scanForCardNumbers } from "./scan-for-card-numbers";
import { sealAuditChain } from "./seal-audit-chain";

const TEST_PAN = "4000056655665556"; // Stripe's Visa debit test number

describe("scan", () => {
  test("a database filled through the APIs holds no card numbers", async () => {
    const { merchantId, secret } = await makeMerchant("Scan shop");
    await createUser({ merchantId, email: "owner@scan.test", name: "Owner", role: "owner", password: "correct-horse-battery", actor: { type: "system", id: "test" } });
    await signIn({ email: "owner@scan.test", password: "correct-horse-battery", ip: "198.51.100.4", userAgent: "vitest" });
    await signIn({ email: "owner@scan.test", password: "wrong-password-123", ip: "198.51.100.4", userAgent: "vitest" });
    await signIn({ email: "nobody@scan.test", password: "whatever-password", ip: "198.51.100.5" });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await createRoute(
        apiRequest("/api/v1/customers", {
          secret,
          idempotencyKey: `scan-${i}`,
          body: {
            email: `buyer${i}@example.com`,
            name: `Buyer ${i}`,
            phone: `+1 415 555 ${String(1000 + i)}`,
            address: { line1: `${100 + i} Market St`, city: "San Francisco", postal_code: "94105", country: "US" },
            metadata: { order: String(900_000 + i), loyalty: "gold" },
          },
        }),
      );
      ids.push((await response.json()).id);
    }
    for (const id of ids.slice(0, 5)) {
      await getRoute(apiRequest(`/api/v1/customers/${id}`, { secret }), routeParams({ id }));
      await recordCustomerActivity({ merchantId, customerId: id, ip: "203.0.113.9" });
    }
    await listRoute(apiRequest("/api/v1/customers?limit=100", { secret }));
    await listRoute(apiRequest("/api/v1/customers?email=buyer3@example.com", { secret }));
    await exportRoute(apiRequest(`/api/v1/customers/${ids[1]}/export`, { secret }), routeParams({ id: ids[1]! }));
    await eraseRoute(apiRequest(`/api/v1/customers/${ids[2]}/erase`, { secret, method: "POST", idempotencyKey: "scan-erase" }), routeParams({ id: ids[2]! }));
    const wallet = await createAccount(sqlPool(), { merchantId, currency: "USD", purpose: "customer_wallet", customer: ids[0] });
    await fundAccount(merchantId, wallet.id, "USD", 5_000n);
    await sealAuditChain({});
    await verifyRoute(apiRequest("/api/v1/audit/verify", { secret }));

    const scan = await scanForCardNumbers({ batchSize: 7 });
    expect(scan.hits).toEqual([]);
    expect(scan.tablesScanned).toBeGreaterThan(5);
    expect(scan.rowsScanned).toBeGreaterThan(100);
  });

  test("control: a planted PAN is found exactly once, in the database and in a log file", async () => {
    const { merchantId } = await makeMerchant("Control");
    await sqlPool().query("update merchants set name = $2 where id = $1", [merchantId, `Shop ${TEST_PAN.replace(/(\d{4})(?=\d)/g, "$1 ")}`]);
    const scan = await scanForCardNumbers({ batchSize: 2 });
    expect(scan.hits).toEqual([{ source: "database", table: "merchants", column: "name", rowKey: merchantId, masked: "400005••••••5556" }]);

    const dir = mkdtempSync(path.join(tmpdir(), "settle-scan-"));
    const log = path.join(dir, "app.log");
    writeFileSync(log, [`{"msg":"ok","customer":"${newId("customer")}"}`, `{"msg":"time","at":"2026-11-26T10:00:00.000Z"}`, `{"msg":"oops","body":"card ${TEST_PAN}"}`].join("\n"));
    const files = await scanForCardNumbers({ database: false, logFiles: [log] });
    expect(files.hits).toEqual([{ source: "file", path: log, line: 3, masked: "400005••••••5556" }]);
  });
});

describe("the ignore rule is narrow", () => {
  test("digits inside one of our ids are ignored; the same digits anywhere else are not", () => {
    const id = `cus_${TEST_PAN}abcdefghjk`;
    expect(id).toMatch(/^cus_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(findCardNumbersOutsideOwnIds(`customer ${id} paid`)).toEqual([]);
    expect(findCardNumbersOutsideOwnIds(`x${id}`)).toEqual(["400005••••••5556"]);
    expect(findCardNumbersOutsideOwnIds(`pi_${TEST_PAN}abcdefghjk`)).toEqual(["400005••••••5556"]);
    expect(findCardNumbersOutsideOwnIds(`cus_${TEST_PAN}abcdefghjkl`)).toEqual(["400005••••••5556"]);
    expect(findCardNumbersOutsideOwnIds(`order ${TEST_PAN}`)).toEqual(["400005••••••5556"]);
    expect(findCardNumbersOutsideOwnIds("4000-0566-5566-5556")).toEqual(["400005••••••5556"]);
  });
});
