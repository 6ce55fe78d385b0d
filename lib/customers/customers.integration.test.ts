// Customers through the API against a real database: encryption at rest, blind-index lookup, audited
// reads, pagination, tenant isolation, GDPR export and crypto-shredding erasure, retention.
import { describe, expect, test } from "vitest";
import { POST as eraseRoute } from "@/app/api/v1/customers/[id]/erase/route";
import { GET as exportRoute } from "@/app/api/v1/customers/[id]/export/route";
import { GET as getRoute } from "@/app/api/v1/customers/[id]/route";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/customers/route";
import { DecryptionError } from "@/lib/compliance/encryption/aes-gcm";
import { db, sqlPool } from "@/lib/db/client";
import { createAccount } from "@/lib/ledger/create-account";
import { fundAccount } from "@/lib/ledger/testing";
import { getAccountOrThrow } from "@/lib/ledger/get-account";
import { apiRequest, makeMerchant, makeRestrictedKey, routeParams } from "@/tests/fixtures";
import { eraseCustomer, eraseInactiveCustomers } from "./erase-customer";
import { findCustomerByEmail, getCustomerOrThrow } from "./get-customer";
import { recordPaymentAttempt } from "@/lib/fraud/record-payment-attempt";
import { recordCustomerActivity } from "./record-customer-activity";

let keyCounter = 0;
const idem = () => `test-key-${++keyCounter}-${Date.now()}`;

async function createVia(secret: string, body: Record<string, unknown>): Promise<string> {
  const response = await createRoute(apiRequest("/api/v1/customers", { secret, body, idempotencyKey: idem() }));
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()).id;
}

async function getVia(secret: string, id: string): Promise<Response> {
  return getRoute(apiRequest(`/api/v1/customers/${id}`, { secret }), routeParams({ id }));
}

const ada = { email: "Ada.Lovelace@Example.com", name: "Ada Lovelace", phone: "+44 20 7946 0018", address: { line1: "12 St James's Square", city: "London", postal_code: "SW1Y 4JH", country: "GB" }, metadata: { interest: "Analytical Engine" } };

/** Every text-like value in the database, to prove personal data is nowhere in plaintext. */
async function allTextInDatabase(): Promise<string> {
  const { rows: columns } = await sqlPool().query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
     where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'character')`,
  );
  const parts: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await sqlPool().query(`select "${column_name}"::text as v from "${table_name}" where "${column_name}" is not null`);
    for (const row of rows) parts.push(String(row.v));
  }
  return parts.join("\n").toLowerCase();
}

describe("creating and reading", () => {
  test("personal data is stored only encrypted and read back decrypted; the read is audited", async () => {
    const { merchantId, secret } = await makeMerchant();
    const response = await createRoute(apiRequest("/api/v1/customers", { secret, body: ada, idempotencyKey: "create-ada" }));
    expect(response.status).toBe(200);
    const created = await response.json();
    expect(created).toMatchObject({ object: "customer", erased: false, personal_data: "stored_encrypted" });
    expect(created.id).toMatch(/^cus_[0-9a-z]{26}$/);
    expect(JSON.stringify(created)).not.toMatch(/lovelace/i);

    const text = await allTextInDatabase();
    for (const secretValue of ["lovelace", "7946 0018", "james's square", "sw1y 4jh", "analytical engine"]) expect(text).not.toContain(secretValue);
    const row = await db().customer.findUniqueOrThrow({ where: { id: created.id } });
    expect(Buffer.from(row.emailEncrypted!).toString("latin1")).not.toMatch(/lovelace/i);
    expect(row.emailIndex).toHaveLength(32);

    const read = await getVia(secret, created.id);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({
      id: created.id, object: "customer", created: created.created, email: "Ada.Lovelace@Example.com", name: "Ada Lovelace", phone: "+44 20 7946 0018",
      address: ada.address, metadata: { interest: "Analytical Engine" }, ip_addresses: [], erased: false, erased_at: null,
    });
    const audits = await db().auditEvent.findMany({ where: { merchantId, targetId: created.id }, orderBy: { seq: "asc" }, select: { action: true, actorType: true, data: true } });
    expect(audits.map((a) => a.action)).toEqual(["customer.created", "personal_data.read"]);
    expect(audits[1]!.actorType).toBe("api_key");

    // A replay returns the same customer; nothing is created twice.
    const replay = await createRoute(apiRequest("/api/v1/customers", { secret, body: ada, idempotencyKey: "create-ada" }));
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect((await replay.json()).id).toBe(created.id);
    expect(await db().customer.count({ where: { merchantId } })).toBe(1);
  });

  test("a ciphertext moved to another row or column does not decrypt", async () => {
    const { merchantId, secret } = await makeMerchant();
    const a = await createVia(secret, { email: "a@example.com", name: "Alice" });
    const b = await createVia(secret, { email: "b@example.com", name: "Bob" });
    const rowA = await db().customer.findUniqueOrThrow({ where: { id: a } });
    // Bob's row gets Alice's email ciphertext; Alice's name column gets her own email ciphertext.
    await db().customer.update({ where: { id: b }, data: { emailEncrypted: rowA.emailEncrypted } });
    await expect(getCustomerOrThrow(merchantId, b)).rejects.toThrow(DecryptionError);
    await db().customer.update({ where: { id: a }, data: { nameEncrypted: rowA.emailEncrypted } });
    await expect(getCustomerOrThrow(merchantId, a)).rejects.toThrow(DecryptionError);
  });

  test("lookup by email goes through the blind index: normalised, exact, per merchant", async () => {
    const one = await makeMerchant("One");
    const two = await makeMerchant("Two");
    const id = await createVia(one.secret, { email: "grace@example.com", name: "Grace" });
    await createVia(one.secret, { email: "other@example.com" });
    const twoId = await createVia(two.secret, { email: "grace@example.com" });

    const found = await listRoute(apiRequest(`/api/v1/customers?email=${encodeURIComponent("  GRACE@Example.COM ")}`, { secret: one.secret }));
    expect(found.status).toBe(200);
    const body = await found.json();
    expect(body.data.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(body.data[0].name).toBe("Grace");

    const none = await listRoute(apiRequest("/api/v1/customers?email=gracie@example.com", { secret: one.secret }));
    expect((await none.json()).data).toEqual([]);
    expect((await findCustomerByEmail(one.merchantId, "grace@example.com"))!.id).toBe(id);
    expect((await findCustomerByEmail(two.merchantId, "grace@example.com"))!.id).toBe(twoId);
    expect(await findCustomerByEmail(two.merchantId, "other@example.com")).toBeNull();
    // Same email, different merchant keys: the index values are unrelated.
    const [x, y] = await Promise.all([id, twoId].map((cid) => db().customer.findUniqueOrThrow({ where: { id: cid }, select: { emailIndex: true } })));
    expect(Buffer.from(x!.emailIndex!).equals(Buffer.from(y!.emailIndex!))).toBe(false);
  });

  test("lists page by cursor, newest first; listing is audited with the ids shown", async () => {
    const { merchantId, secret } = await makeMerchant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await createVia(secret, { email: `c${i}@example.com` }));
    const first = await (await listRoute(apiRequest("/api/v1/customers?limit=2", { secret }))).json();
    expect(first.data.map((c: { id: string }) => c.id)).toEqual([ids[4], ids[3]]);
    expect(first.has_more).toBe(true);
    const second = await (await listRoute(apiRequest(`/api/v1/customers?limit=2&starting_after=${ids[3]}`, { secret }))).json();
    expect(second.data.map((c: { email: string }) => c.email)).toEqual(["c2@example.com", "c1@example.com"]);
    const last = await (await listRoute(apiRequest(`/api/v1/customers?limit=2&starting_after=${ids[1]}`, { secret }))).json();
    expect(last).toMatchObject({ has_more: false });
    expect(last.data).toHaveLength(1);
    const back = await (await listRoute(apiRequest(`/api/v1/customers?limit=2&ending_before=${ids[2]}`, { secret }))).json();
    expect(back.data.map((c: { id: string }) => c.id)).toEqual([ids[4], ids[3]]);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { merchantId, action: "personal_data.read" }, orderBy: { seq: "asc" } });
    expect(audit.data).toMatchObject({ customer_ids: [ids[4], ids[3]] });
  });

  test("another merchant's customer is 404; a read-only key cannot create; bad input is 400", async () => {
    const one = await makeMerchant("One");
    const two = await makeMerchant("Two");
    const id = await createVia(one.secret, { email: "x@example.com" });
    const cross = await getVia(two.secret, id);
    expect(cross.status).toBe(404);
    expect((await cross.json()).error.code).toBe("resource_missing");
    expect((await getVia(one.secret, "cus_nope")).status).toBe(404);
    expect((await exportRoute(apiRequest(`/api/v1/customers/${id}/export`, { secret: two.secret }), routeParams({ id }))).status).toBe(404);
    expect((await eraseRoute(apiRequest(`/api/v1/customers/${id}/erase`, { secret: two.secret, method: "POST", idempotencyKey: idem() }), routeParams({ id }))).status).toBe(404);
    expect((await getCustomerOrThrow(one.merchantId, id)).erasedAt).toBeNull();

    const reader = await makeRestrictedKey(one.merchantId, { customers: "read" });
    const denied = await createRoute(apiRequest("/api/v1/customers", { secret: reader, body: { email: "y@example.com" }, idempotencyKey: idem() }));
    expect(denied.status).toBe(403);
    expect((await getVia(reader, id)).status).toBe(200);
    const noScope = await makeRestrictedKey(one.merchantId, { payments: "write" });
    expect((await getVia(noScope, id)).status).toBe(403);

    const bad = await createRoute(apiRequest("/api/v1/customers", { secret: one.secret, body: { email: "not-an-email" }, idempotencyKey: idem() }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.param).toBe("email");
    const unknown = await createRoute(apiRequest("/api/v1/customers", { secret: one.secret, body: { email: "z@example.com", ssn: "1" }, idempotencyKey: idem() }));
    expect((await unknown.json()).error.code).toBe("parameter_unknown");
  });

  test("activity moves the retention clock and records the IP address, encrypted", async () => {
    const { merchantId, secret } = await makeMerchant();
    const id = await createVia(secret, { email: "ip@example.com" });
    await recordCustomerActivity({ merchantId, customerId: id, ip: "203.0.113.7", actor: { type: "system", id: "test" } });
    await recordCustomerActivity({ merchantId, customerId: id, ip: "203.0.113.7" });
    await recordCustomerActivity({ merchantId, customerId: id, ip: "2001:db8::1" });
    expect((await getCustomerOrThrow(merchantId, id)).ipAddresses).toEqual(["203.0.113.7", "2001:db8::1"]);
    expect(await allTextInDatabase()).not.toContain("203.0.113.7");
  });
});

describe("GDPR", () => {
  test("export returns all personal data held and references from other domains; it is audited", async () => {
    const { merchantId, secret } = await makeMerchant();
    const id = await createVia(secret, ada);
    await getVia(secret, id);
    const response = await exportRoute(apiRequest(`/api/v1/customers/${id}/export`, { secret }), routeParams({ id }));
    expect(response.status).toBe(200);
    const exported = await response.json();
    expect(exported.object).toBe("customer_data_export");
    expect(exported.customer).toMatchObject({ id, email: ada.email, name: ada.name, phone: ada.phone, address: ada.address, metadata: ada.metadata });
    expect(exported.sources.payments).toEqual([]);
    expect(exported.sources.access_log.map((e: { action: string }) => e.action)).toEqual(["customer.created", "personal_data.read"]);
    expect(await db().auditEvent.count({ where: { merchantId, action: "personal_data.exported", targetId: id } })).toBe(1);
  });

  test("erasure crypto-shreds: key gone, fields unreadable, row and id kept, ledger unchanged, audited, final", async () => {
    const { merchantId, secret } = await makeMerchant();
    const id = await createVia(secret, ada);
    const keep = await createVia(secret, { email: "keep@example.com", name: "Kept" });
    const wallet = await createAccount(sqlPool(), { merchantId, currency: "USD", purpose: "customer_wallet", customer: id });
    await fundAccount(merchantId, wallet.id, "USD", 12_345n);
    const before = await db().customer.findUniqueOrThrow({ where: { id } });

    const response = await eraseRoute(apiRequest(`/api/v1/customers/${id}/erase`, { secret, method: "POST", idempotencyKey: "erase-1" }), routeParams({ id }));
    expect(response.status).toBe(200);
    const erased = await response.json();
    expect(erased).toMatchObject({ id, object: "customer", erased: true, email: null, name: null, phone: null, address: null, metadata: {} });
    expect(erased.erased_at).toEqual(expect.any(Number));

    expect(await db().customerDataKey.count({ where: { customerId: id } })).toBe(0);
    const after = await db().customer.findUniqueOrThrow({ where: { id } });
    // The ciphertext is still there, but nothing can open it: its only key is gone.
    expect(Buffer.from(after.emailEncrypted!).equals(Buffer.from(before.emailEncrypted!))).toBe(true);
    expect(after.emailIndex).toBeNull();
    expect(await findCustomerByEmail(merchantId, ada.email)).toBeNull();
    const read = await (await getVia(secret, id)).json();
    expect(read).toMatchObject({ id, erased: true, email: null });
    expect((await getAccountOrThrow(sqlPool(), { merchantId, accountId: wallet.id })).balanceMinor).toBe(12_345n);
    expect((await getCustomerOrThrow(merchantId, keep)).name).toBe("Kept");

    // Erasing again (another key) returns the erased customer and audits nothing new.
    const again = await eraseRoute(apiRequest(`/api/v1/customers/${id}/erase`, { secret, method: "POST", idempotencyKey: "erase-2" }), routeParams({ id }));
    expect((await again.json()).erased_at).toBe(erased.erased_at);
    expect(await db().auditEvent.count({ where: { merchantId, action: "customer.erased", targetId: id } })).toBe(1);

    // The database refuses to undo it or to give the customer a new key.
    await expect(sqlPool().query("update customers set erased_at = null where id = $1", [id])).rejects.toThrow(/cannot be undone|erased_has_no_email_index/);
    await expect(
      sqlPool().query("insert into customer_data_keys (customer_id, merchant_id, merchant_key_version, wrapped_key) values ($1, $2, 1, '\\x00')", [id, merchantId]),
    ).rejects.toThrow(/no new data key/);
    await expect(sqlPool().query("update customers set email_encrypted = '\\x01' where id = $1", [id])).rejects.toThrow(/cannot be written/);
  });

  test("fraud history: exported when linked by id or email pseudonym, neutralised by erasure, others untouched", async () => {
    const { merchantId, secret } = await makeMerchant();
    const id = await createVia(secret, ada);
    const other = await createVia(secret, { email: "other@example.com" });
    const base = { merchantId, amountMinor: 1_000n, currency: "USD", paymentMethodType: "card", cardFingerprint: "fp_x", billingCountry: "GB", ipAddress: "81.2.69.160" } as const;
    const at = (minutes: number) => new Date(Date.parse("2026-11-20T10:00:00Z") + minutes * 60_000);
    await recordPaymentAttempt({ ...base, paymentId: "pay_own", customerId: id, email: ada.email, succeeded: true, occurredAt: at(0) });
    // A guest checkout with the same email (other spelling), no customer id.
    await recordPaymentAttempt({ ...base, paymentId: "pay_guest", email: " ada.lovelace@example.COM ", succeeded: false, occurredAt: at(1) });
    await recordPaymentAttempt({ ...base, paymentId: "pay_other", customerId: other, email: "other@example.com", succeeded: true, occurredAt: at(2) });

    const exported = await (await exportRoute(apiRequest(`/api/v1/customers/${id}/export`, { secret }), routeParams({ id }))).json();
    expect(exported.sources.payment_attempts.map((a: { payment_id: string; linked_by: string }) => [a.payment_id, a.linked_by])).toEqual([
      ["pay_guest", "email"],
      ["pay_own", "customer"],
    ]);
    expect(JSON.stringify(exported.sources.payment_attempts)).not.toContain("81.2.69.160");

    await eraseCustomer(merchantId, id, { type: "system", id: "test" });
    const rows = await db().riskPaymentAttempt.findMany({ where: { merchantId }, orderBy: { paymentId: "asc" } });
    const byPayment = Object.fromEntries(rows.map((row) => [row.paymentId, row]));
    for (const paymentId of ["pay_own", "pay_guest"]) {
      expect(byPayment[paymentId]).toMatchObject({ emailHmac: null, ipAddressHmac: null, cardFingerprint: null, ipCountry: null, billingCountry: null });
    }
    // Amounts and the pseudonymous customer id stay (AML aggregates); another customer's row is untouched.
    expect(byPayment.pay_own).toMatchObject({ customerId: id, amountMinor: 1_000n, succeeded: true });
    expect(byPayment.pay_other!.emailHmac).toHaveLength(32);
    expect(byPayment.pay_other!.cardFingerprint).toBe("fp_x");
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "customer.erased", targetId: id } });
    expect(audit.data).toMatchObject({ payment_attempts_neutralised: 2 });
  });

  test("the retention job erases customers inactive longer than PERSONAL_DATA_RETENTION_DAYS", async () => {
    const { merchantId, secret } = await makeMerchant();
    const stale = await createVia(secret, { email: "stale@example.com" });
    const fresh = await createVia(secret, { email: "fresh@example.com" });
    await sqlPool().query("update customers set last_active_at = now() - interval '1096 days' where id = $1", [stale]);
    const result = await eraseInactiveCustomers({ batchSize: 1 });
    expect(result.erased).toBe(1);
    expect((await getCustomerOrThrow(merchantId, stale)).erasedAt).not.toBeNull();
    expect((await getCustomerOrThrow(merchantId, fresh)).email).toBe("fresh@example.com");
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "customer.erased", targetId: stale } });
    expect(audit).toMatchObject({ actorType: "system", actorId: "retention", data: { reason: "retention", data_key_destroyed: true } });
    expect((await eraseInactiveCustomers()).erased).toBe(0);
  });

  test("concurrent erasures of one customer erase once", async () => {
    const { merchantId, secret } = await makeMerchant();
    const id = await createVia(secret, { email: "race@example.com" });
    const results = await Promise.all(Array.from({ length: 8 }, () => eraseCustomer(merchantId, id, { type: "system", id: "test" })));
    expect(new Set(results.map((r) => r.erased_at)).size).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "customer.erased", targetId: id } })).toBe(1);
  });
});
