// The account and transfer routes through the real API wrapper: what a merchant's integration sees.
import { describe, expect, test } from "vitest";
import { GET as getAccountRoute } from "@/app/api/v1/accounts/[id]/route";
import { GET as listEntriesRoute } from "@/app/api/v1/accounts/[id]/entries/route";
import { GET as listAccountsRoute, POST as createAccountRoute } from "@/app/api/v1/accounts/route";
import { GET as getTransferRoute } from "@/app/api/v1/transfers/[id]/route";
import { GET as listTransfersRoute, POST as createTransferRoute } from "@/app/api/v1/transfers/route";
import { sqlPool } from "@/lib/db/client";
import { apiRequest, makeMerchant, routeParams } from "@/tests/fixtures";
import { setAccountStatus } from "./set-account-status";
import { fundAccount } from "./testing";

let keyCounter = 0;
const key = () => `key-${Date.now()}-${keyCounter++}`;

async function openWallet(secret: string, body: Record<string, unknown> = { currency: "usd" }) {
  const response = await createAccountRoute(apiRequest("/api/v1/accounts", { secret, body, idempotencyKey: key() }));
  expect(response.status).toBe(200);
  return response.json();
}

function transfer(secret: string, body: Record<string, unknown>, idempotencyKey = key()) {
  return createTransferRoute(apiRequest("/api/v1/transfers", { secret, body, idempotencyKey }));
}

async function transferCount(merchantId: string): Promise<number> {
  const { rows } = await sqlPool().query(`SELECT count(*)::int AS n FROM transfers WHERE merchant_id = $1`, [merchantId]);
  return rows[0].n;
}

describe("accounts and transfers over HTTP", () => {
  test("open wallets, transfer, read balances, history and lists", async () => {
    const { merchantId, secret } = await makeMerchant();
    const alice = await openWallet(secret, { currency: "usd", customer: "cus_alice", metadata: { tier: "gold" } });
    expect(alice).toMatchObject({ object: "account", currency: "USD", type: "liability", normal_balance: "credit", purpose: "customer_wallet", balance: 0, floor: 0, customer: "cus_alice" });
    const bob = await openWallet(secret);
    await fundAccount(merchantId, alice.id, "USD", 5_000n);

    const response = await transfer(secret, { from_account: alice.id, to_account: bob.id, amount: 1_250, currency: "USD", description: "rent share" });
    expect(response.status).toBe(200);
    const created = await response.json();
    expect(created).toMatchObject({ object: "transfer", from_account: alice.id, to_account: bob.id, amount: 1_250, currency: "USD", description: "rent share" });
    expect(created.id).toMatch(/^trf_/);
    expect(created.ledger_transaction).toMatch(/^txn_/);

    const aliceNow = await (await getAccountRoute(apiRequest(`/api/v1/accounts/${alice.id}`, { secret }), routeParams({ id: alice.id }))).json();
    expect(aliceNow).toMatchObject({ balance: 3_750, available: 3_750, version: 2 });
    expect(Number.isInteger(aliceNow.balance)).toBe(true);

    const history = await (await listEntriesRoute(apiRequest(`/api/v1/accounts/${alice.id}/entries?limit=1`, { secret }), routeParams({ id: alice.id }))).json();
    expect(history).toMatchObject({ object: "list", has_more: true });
    expect(history.data[0]).toMatchObject({ object: "ledger_entry", direction: "debit", amount: 1_250, balance_after: 3_750, transaction: created.ledger_transaction });
    const asOf = new Date(Date.parse(created.created) - 60_000).toISOString();
    const past = await (await listEntriesRoute(apiRequest(`/api/v1/accounts/${alice.id}/entries?as_of=${asOf}`, { secret }), routeParams({ id: alice.id }))).json();
    expect(past.balance_as_of).toEqual({ as_of: asOf, balance: 0 });

    const everything = await (await listAccountsRoute(apiRequest(`/api/v1/accounts?limit=100`, { secret }))).json();
    const ids: string[] = everything.data.map((account: { id: string }) => account.id);
    expect(ids).toEqual([...ids].sort().reverse()); // newest first
    expect(ids).toEqual(expect.arrayContaining([alice.id, bob.id]));
    const walked: string[] = [];
    let cursor = "";
    for (;;) {
      const page = await (await listAccountsRoute(apiRequest(`/api/v1/accounts?limit=3${cursor ? `&starting_after=${cursor}` : ""}`, { secret }))).json();
      walked.push(...page.data.map((account: { id: string }) => account.id));
      if (!page.has_more) break;
      cursor = walked.at(-1)!;
    }
    expect(walked).toEqual(ids);
    const back = await (await listAccountsRoute(apiRequest(`/api/v1/accounts?limit=2&ending_before=${ids[3]}`, { secret }))).json();
    expect(back.data.map((account: { id: string }) => account.id)).toEqual(ids.slice(1, 3));
    const wallets = await (await listAccountsRoute(apiRequest(`/api/v1/accounts?customer=cus_alice`, { secret }))).json();
    expect(wallets.data.map((account: { id: string }) => account.id)).toEqual([alice.id]);
    const badLimit = await listAccountsRoute(apiRequest(`/api/v1/accounts?limit=101`, { secret }));
    expect(badLimit.status).toBe(400);

    const fetched = await (await getTransferRoute(apiRequest(`/api/v1/transfers/${created.id}`, { secret }), routeParams({ id: created.id }))).json();
    expect(fetched).toEqual(created);
    const listed = await (await listTransfersRoute(apiRequest(`/api/v1/transfers?account=${bob.id}`, { secret }))).json();
    expect(listed.data.map((row: { id: string }) => row.id)).toEqual([created.id]);
  });

  test("refusals are clear and write nothing", async () => {
    const { merchantId, secret } = await makeMerchant();
    const alice = await openWallet(secret);
    const bob = await openWallet(secret);
    const euros = await openWallet(secret, { currency: "EUR" });
    await fundAccount(merchantId, alice.id, "USD", 500n);
    const expectError = async (body: Record<string, unknown>, status: number, code: string) => {
      const response = await transfer(secret, { from_account: alice.id, to_account: bob.id, amount: 100, currency: "USD", ...body });
      const json = await response.json();
      expect({ status: response.status, code: json.error?.code }).toEqual({ status, code });
      return json.error;
    };
    const insufficient = await expectError({ amount: 501 }, 402, "insufficient_funds");
    expect(insufficient.message).toContain("available balance is 500");
    await expectError({ to_account: alice.id }, 400, "parameter_invalid");
    await expectError({ amount: 0 }, 400, "parameter_invalid");
    await expectError({ amount: -1 }, 400, "parameter_invalid");
    await expectError({ amount: 10.5 }, 400, "parameter_invalid");
    await expectError({ to_account: euros.id }, 422, "currency_mismatch");
    await setAccountStatus(sqlPool(), { merchantId, accountId: bob.id, status: "frozen" });
    await expectError({}, 422, "account_inactive");
    await setAccountStatus(sqlPool(), { merchantId, accountId: bob.id, status: "open" });

    const other = await makeMerchant("Other");
    const theirs = await openWallet(other.secret);
    await expectError({ to_account: theirs.id }, 404, "resource_missing");
    const peek = await getAccountRoute(apiRequest(`/api/v1/accounts/${alice.id}`, { secret: other.secret }), routeParams({ id: alice.id }));
    expect(peek.status).toBe(404);
    const steal = await transfer(other.secret, { from_account: alice.id, to_account: theirs.id, amount: 1, currency: "USD" });
    expect(steal.status).toBe(404);

    expect(await transferCount(merchantId)).toBe(0);
    const balance = await (await getAccountRoute(apiRequest(`/api/v1/accounts/${alice.id}`, { secret }), routeParams({ id: alice.id }))).json();
    expect(balance.balance).toBe(500);
  });

  test("a retried POST with the same Idempotency-Key moves money once", async () => {
    const { merchantId, secret } = await makeMerchant();
    const alice = await openWallet(secret);
    const bob = await openWallet(secret);
    await fundAccount(merchantId, alice.id, "USD", 1_000n);
    const idempotencyKey = key();
    const body = { from_account: alice.id, to_account: bob.id, amount: 300, currency: "USD" };
    const [first, second] = await Promise.all([transfer(secret, body, idempotencyKey), transfer(secret, body, idempotencyKey)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses[0]).toBe(200);
    const third = await transfer(secret, body, idempotencyKey);
    expect(third.status).toBe(200);
    expect(third.headers.get("idempotent-replayed")).toBe("true");
    expect((await third.json()).id).toBe((await (first.status === 200 ? first : second).json()).id);
    expect(await transferCount(merchantId)).toBe(1);
    const changed = await transfer(secret, { ...body, amount: 301 }, idempotencyKey);
    expect(changed.status).toBe(422);
  });

  test("50 concurrent POSTs with one Idempotency-Key move money once; every success is the same response", async () => {
    const { merchantId, secret } = await makeMerchant();
    const alice = await openWallet(secret);
    const bob = await openWallet(secret);
    await fundAccount(merchantId, alice.id, "USD", 1_000n);
    const idempotencyKey = key();
    const body = { from_account: alice.id, to_account: bob.id, amount: 7, currency: "USD" };
    const responses = await Promise.all(Array.from({ length: 50 }, () => transfer(secret, body, idempotencyKey)));
    const statuses = responses.map((response) => response.status);
    // The result (first or replayed), "in use" while the first runs, or retry-safe back-pressure.
    expect(statuses.every((status) => status === 200 || status === 409 || status === 503), statuses.join(",")).toBe(true);
    const texts = await Promise.all(responses.map((response) => response.text()));
    const successes = texts.filter((_, index) => statuses[index] === 200);
    expect(successes.length).toBeGreaterThanOrEqual(1);
    expect(new Set(successes).size).toBe(1);
    for (const [index, text] of texts.entries()) {
      if (statuses[index] !== 200) expect(["idempotency_key_in_use", "database_busy"]).toContain(JSON.parse(text).error.code);
    }
    expect(await transferCount(merchantId)).toBe(1);
    const { rows } = await sqlPool().query(`SELECT balance_minor FROM ledger_accounts WHERE id = $1`, [alice.id]);
    expect(rows[0].balance_minor).toBe(993n);
    // Once finished, a retry replays the stored response byte for byte.
    const after = await transfer(secret, body, idempotencyKey);
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(await after.text()).toBe(successes[0]);
  });

  test("a refused transfer's error is stored and replayed; the created time in the response is the stored one", async () => {
    const { merchantId, secret } = await makeMerchant();
    const alice = await openWallet(secret);
    const bob = await openWallet(secret);
    await fundAccount(merchantId, alice.id, "USD", 10n);
    const idempotencyKey = key();
    const tooMuch = { from_account: alice.id, to_account: bob.id, amount: 11, currency: "USD" };
    const refused = await transfer(secret, tooMuch, idempotencyKey);
    expect(refused.status).toBe(402);
    const refusedText = await refused.text();
    expect(JSON.parse(refusedText).error.code).toBe("insufficient_funds");
    await fundAccount(merchantId, alice.id, "USD", 10n);
    const again = await transfer(secret, tooMuch, idempotencyKey);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(refusedText);
    expect(await transferCount(merchantId)).toBe(0);

    const created = await (await transfer(secret, { ...tooMuch, amount: 5 })).json();
    const fetched = await (await getTransferRoute(apiRequest(`/api/v1/transfers/${created.id}`, { secret }), routeParams({ id: created.id }))).json();
    expect(fetched).toEqual(created);
  });
});
