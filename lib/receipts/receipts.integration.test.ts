// Receipts against a real PostgreSQL: the receipt behind a token (and none for a wrong one), the page
// rendered on the server, and receipt emails through the outbox into the local transport.
import { randomBytes } from "node:crypto";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, test } from "vitest";
import ReceiptPage from "@/app/receipts/[token]/page";
import { createCustomer } from "@/lib/customers/create-customer";
import { eraseCustomer } from "@/lib/customers/erase-customer";
import { exportCustomerData } from "@/lib/customers/export-customer-data";
import { purgeNotificationLogs } from "@/lib/notifications/purge-notification-logs";
import { db } from "@/lib/db/client";
import type { PaymentStatus } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { makeMerchant } from "@/tests/fixtures";
import type { EmailTransport, OutgoingEmail } from "./email-transport";
import { getReceiptByToken } from "./get-receipt";
import { listEmails } from "./list-emails";
import { EMAIL_ATTEMPTS_MAX, enqueueReceiptEmail, sendQueuedEmails, sendReceiptEmail } from "./send-receipt-email";

const actor = { type: "system", id: "test" } as const;

async function insertPayment(merchantId: string, overrides: { status?: PaymentStatus; amount?: bigint; amountRefunded?: bigint; currency?: string; metadata?: object; description?: string; customerId?: string } = {}) {
  const id = newId("payment");
  const token = randomBytes(24).toString("base64url");
  const amount = overrides.amount ?? 4250n;
  const status = overrides.status ?? "captured";
  await db().payment.create({
    data: {
      id, merchantId, amount, amountCaptured: status === "authorized" ? 0n : amount, amountRefunded: overrides.amountRefunded ?? 0n, amountRefundReserved: overrides.amountRefunded ?? 0n,
      currency: overrides.currency ?? "USD", status, captureMethod: "automatic",
      paymentMethodType: "card", paymentMethod: "pm_card_visa", paymentMethodDetails: { type: "card", brand: "visa", last4: "4242" },
      description: overrides.description ?? "Order #1001", metadata: overrides.metadata ?? {}, customerId: overrides.customerId ?? null,
      idempotencyKey: randomBytes(8).toString("hex"), receiptNumber: `R-${randomBytes(4).toString("hex")}`, receiptToken: token,
      capturedAt: new Date("2026-11-20T10:00:00Z"),
    },
  });
  return { paymentId: id, token };
}

function recordingTransport(failuresFirst = 0): EmailTransport & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  let failures = failuresFirst;
  return {
    name: "smtp",
    sent,
    send: async (message) => {
      if (failures-- > 0) throw new Error("421 Service not available");
      sent.push(message);
    },
  };
}

describe("getReceiptByToken", () => {
  test("formats amounts, line items from metadata and the card; a wrong, malformed or uncaptured token gives none", async () => {
    const { merchantId } = await makeMerchant("Corner Bakery");
    const items = [{ description: "Sourdough loaf", quantity: 2, amount: 800 }, { name: "Coffee", amount: 2650 }];
    const { token, paymentId } = await insertPayment(merchantId, { metadata: { line_items: JSON.stringify(items) } });
    const receipt = await getReceiptByToken(token);
    expect(receipt).toMatchObject({
      paymentId,
      merchant: { name: "Corner Bakery" },
      status: "paid",
      amountPaid: "$42.50",
      amountRefunded: null,
      paymentMethod: { brand: "visa", last4: "4242" },
      lineItems: [
        { description: "Sourdough loaf", quantity: 2, unitAmount: "$8.00", amount: "$16.00" },
        { description: "Coffee", quantity: 1, amount: "$26.50" },
      ],
    });

    // Items that do not sum to the amount are not shown; the description is.
    const { token: mismatched } = await insertPayment(merchantId, { metadata: { line_items: [{ description: "x", amount: 1 }] } });
    expect((await getReceiptByToken(mismatched))!.lineItems).toEqual([{ description: "Order #1001", quantity: 1, unitAmount: "$42.50", amount: "$42.50" }]);

    const { token: refunded } = await insertPayment(merchantId, { status: "refunded", amountRefunded: 1000n, currency: "EUR" });
    expect(await getReceiptByToken(refunded)).toMatchObject({ status: "partially_refunded", amountPaid: "€42.50", amountRefunded: "€10.00", amountNet: "€32.50" });

    const { token: authorizedOnly } = await insertPayment(merchantId, { status: "authorized" });
    expect(await getReceiptByToken(authorizedOnly)).toBeNull();
    expect(await getReceiptByToken(randomBytes(24).toString("base64url"))).toBeNull();
    expect(await getReceiptByToken("../../etc/passwd")).toBeNull();
    expect(await getReceiptByToken(token.slice(0, -1))).toBeNull();
  });

  test("the page renders the receipt for its token, and is a 404 for a wrong one", async () => {
    const { merchantId } = await makeMerchant("Page <Shop>");
    const { token } = await insertPayment(merchantId, { description: "<script>alert(1)</script>" });
    const html = renderToStaticMarkup(await ReceiptPage({ params: Promise.resolve({ token }) }));
    expect(html).toContain("Page &lt;Shop&gt;");
    expect(html).toContain("$42.50");
    expect(html).toContain("Visa ending in 4242");
    expect(html).toContain("Download PDF");
    expect(html).not.toContain("<script>alert(1)</script>");
    await expect(ReceiptPage({ params: Promise.resolve({ token: randomBytes(24).toString("base64url") }) })).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
  });
});

describe("receipt emails", () => {
  // Tests share the file's database: messages an earlier test left queued must not be claimed by the next.
  beforeEach(async () => {
    await db().emailMessage.updateMany({ where: { status: "queued" }, data: { status: "failed", nextAttemptAt: null } });
  });

  test("queued in the caller's transaction: gone on rollback; once per payment", async () => {
    const { merchantId } = await makeMerchant();
    const { paymentId } = await insertPayment(merchantId);
    await expect(
      db().$transaction(async (tx) => {
        await enqueueReceiptEmail(tx, { merchantId, paymentId, to: "ann@example.com" });
        throw new Error("capture failed");
      }),
    ).rejects.toThrow("capture failed");
    expect(await db().emailMessage.count({ where: { merchantId } })).toBe(0);

    const first = await db().$transaction((tx) => enqueueReceiptEmail(tx, { merchantId, paymentId, to: "ann@example.com" }));
    const second = await db().$transaction((tx) => enqueueReceiptEmail(tx, { merchantId, paymentId, to: "ann@example.com" }));
    expect(first.queued).toBe(true);
    expect(second).toEqual({ emailId: first.emailId, queued: false });
    expect(await db().emailMessage.count({ where: { merchantId } })).toBe(1);
  });

  test("without SMTP the receipt lands in the local outbox, addressed to the customer's email", async () => {
    const { merchantId } = await makeMerchant("Outbox Shop");
    const customer = await db().$transaction((tx) => createCustomer(tx, { merchantId, actor, email: "buyer@example.com", name: "Bea Buyer" } as Parameters<typeof createCustomer>[1]));
    const { paymentId } = await insertPayment(merchantId, { customerId: customer.id });
    const viewer = { type: "user", id: "usr_outbox_viewer", ip: "203.0.113.9", userAgent: "vitest" } as const;
    // An empty outbox shows no personal data, so nothing is recorded.
    expect((await listEmails({ merchantId, actor: viewer, query: { limit: 10 } })).data).toEqual([]);
    expect(await db().auditEvent.count({ where: { merchantId, action: "personal_data.read" } })).toBe(0);
    const email = await sendReceiptEmail(paymentId);
    expect(email).toMatchObject({ status: "stored", transport: "local", to: "buyer@example.com", related_object: paymentId });
    expect(email.subject).toMatch(/^Your receipt from Outbox Shop \[#R-/);
    const outbox = await listEmails({ merchantId, actor: viewer, query: { limit: 10 }, via: "dashboard" });
    expect(outbox.data).toHaveLength(1);
    // Opening the outbox (recipient and body decrypted) is a personal-data read, audited like the customer list.
    const audits = await db().auditEvent.findMany({ where: { merchantId, action: "personal_data.read" } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: "user", actorId: viewer.id, ip: viewer.ip, userAgent: "vitest", targetType: "email_list", targetId: merchantId });
    expect(audits[0]!.data).toEqual({ via: "dashboard", masked: false, email_ids: [email.id], customer_ids: [customer.id] });
    expect(JSON.stringify(audits[0]!.data)).not.toContain("buyer@example.com");
    expect(outbox.data[0]!.text).toContain("Amount paid: $42.50");
    expect(outbox.data[0]!.text).toContain("Visa ending in 4242");
    expect(outbox.data[0]!.html).toContain("/receipts/");
    // Calling again does not send a second receipt.
    expect((await sendReceiptEmail(paymentId)).id).toBe(email.id);
    expect(await db().emailMessage.count({ where: { merchantId } })).toBe(1);
  });

  test("a viewer's outbox (masked) shows the recipient masked and no body, never opening the body; the read is audited as masked", async () => {
    const { merchantId } = await makeMerchant("Veiled Outbox Shop");
    const customer = await db().$transaction((tx) => createCustomer(tx, { merchantId, actor, email: "mira.masked@example.com", name: "Mira Masked" } as Parameters<typeof createCustomer>[1]));
    const { paymentId } = await insertPayment(merchantId, { customerId: customer.id });
    const email = await sendReceiptEmail(paymentId);
    const staff = { type: "user", id: "usr_outbox_staff", ip: "203.0.113.10", userAgent: "vitest" } as const;
    const viewer = { type: "user", id: "usr_outbox_masked_viewer", ip: "203.0.113.11", userAgent: "vitest" } as const;

    // Staff and above: decrypted.
    const whole = await listEmails({ merchantId, actor: staff, query: { limit: 10 }, masked: false, via: "dashboard" });
    expect(whole.data[0]).toMatchObject({ id: email.id, to: "mira.masked@example.com" });
    expect(whole.data[0]!.text).toContain("Amount paid: $42.50");

    // A viewer: the customer list's mask on the recipient, no body at all.
    const masked = await listEmails({ merchantId, actor: viewer, query: { limit: 10 }, masked: true, via: "dashboard" });
    expect(masked.data).toHaveLength(1);
    expect(masked.data[0]).toMatchObject({ id: email.id, to: "m••••••@e••••••.com", text: null, html: null, subject: email.subject });
    expect(JSON.stringify(masked)).not.toMatch(/mira|Amount paid/i);

    // The read is audited as the customer list audits a viewer's: masked, with what was opened.
    const audits = await db().auditEvent.findMany({ where: { merchantId, action: "personal_data.read" }, orderBy: { seq: "asc" } });
    expect(audits.map((audit) => [audit.actorId, (audit.data as { masked: boolean }).masked])).toEqual([[staff.id, false], [viewer.id, true]]);
    expect(audits[1]!.data).toEqual({ via: "dashboard", masked: true, email_ids: [email.id], customer_ids: [customer.id] });

    // The viewer's list never decrypts the body: with the sealed body damaged, staff's read fails, the viewer's does not.
    await db().$executeRaw`update email_messages set body_encrypted = ${Buffer.alloc(64, 7)} where id = ${email.id}`;
    await expect(listEmails({ merchantId, actor: staff, query: { limit: 10 } })).rejects.toThrow();
    expect((await listEmails({ merchantId, actor: viewer, query: { limit: 10 }, masked: true })).data[0]).toMatchObject({ to: "m••••••@e••••••.com", text: null });
  });

  test("address and bodies are stored only encrypted; erasing the customer shreds sent ones and cancels queued ones", async () => {
    const { merchantId } = await makeMerchant("Sealed Shop");
    const customer = await db().$transaction((tx) => createCustomer(tx, { merchantId, actor, email: "sealed.buyer@example.com", name: "Selma Sealed" } as Parameters<typeof createCustomer>[1]));
    const { paymentId: sentPayment } = await insertPayment(merchantId, { customerId: customer.id });
    const { paymentId: queuedPayment } = await insertPayment(merchantId, { customerId: customer.id });
    const { paymentId: guestPayment } = await insertPayment(merchantId);
    const sent = await sendReceiptEmail(sentPayment);
    expect(sent).toMatchObject({ status: "stored", to: "sealed.buyer@example.com" });
    await db().$transaction((tx) => enqueueReceiptEmail(tx, { merchantId, paymentId: queuedPayment, to: "other.address@example.com" }));
    expect(await sendReceiptEmail(guestPayment, { to: "guest.buyer@example.com" })).toMatchObject({ status: "stored", to: "guest.buyer@example.com" });

    const rows = await db().$queryRaw<Record<string, unknown>[]>`select * from email_messages where merchant_id = ${merchantId}`;
    expect(rows).toHaveLength(3);
    const plaintext = JSON.stringify(rows, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString("latin1") : value));
    expect(plaintext).not.toMatch(/sealed\.buyer|other\.address|guest\.buyer|Selma/);
    expect(rows.filter((row) => row.customer_id === customer.id)).toHaveLength(2);
    // The outbox view opens them.
    const outbox = await listEmails({ merchantId, actor, query: { limit: 10 } });
    expect(outbox.data.find((email) => email.id === sent.id)?.text).toContain("Amount paid: $42.50");

    // The GDPR export lists the customer's emails with their recipients.
    const exported = await exportCustomerData(merchantId, customer.id);
    expect((exported.sources.emails as { related_object: string; to: string }[]).map((e) => [e.related_object, e.to]).sort()).toEqual(
      [[sentPayment, "sealed.buyer@example.com"], [queuedPayment, "other.address@example.com"]].sort(),
    );

    await eraseCustomer(merchantId, customer.id, actor);
    const after = await db().emailMessage.findMany({ where: { merchantId }, orderBy: { id: "asc" } });
    const byPayment = Object.fromEntries(after.map((row) => [row.relatedObjectId, row]));
    expect(byPayment[sentPayment]).toMatchObject({ status: "stored", toAddressEncrypted: null, bodyEncrypted: null });
    expect(byPayment[queuedPayment]).toMatchObject({ status: "skipped", toAddressEncrypted: null, error: "The customer was erased." });
    expect(byPayment[guestPayment]!.bodyEncrypted).not.toBeNull();
    expect(await sendQueuedEmails({ transport: recordingTransport() })).toEqual([]);
    const shown = await listEmails({ merchantId, actor, query: { limit: 10 } });
    expect(shown.data.find((email) => email.id === sent.id)).toMatchObject({ to: null, text: null });
    const guestEmail = shown.data.find((email) => email.related_object === guestPayment);
    expect(guestEmail).toMatchObject({ to: "guest.buyer@example.com" });
    // The read is recorded with what was actually opened: the guest's message, not the shredded ones.
    const lastRead = await db().auditEvent.findFirstOrThrow({ where: { merchantId, action: "personal_data.read", targetType: "email_list" }, orderBy: { seq: "desc" } });
    expect(lastRead.data).toEqual({ via: "email_outbox", masked: false, email_ids: [guestEmail!.id], customer_ids: [] });
  });

  test("the purge deletes finished emails older than EMAIL_RETENTION_DAYS (default 90), keeps newer and queued ones", async () => {
    const { merchantId } = await makeMerchant();
    const t0 = new Date("2026-01-01T00:00:00Z");
    const { paymentId: old } = await insertPayment(merchantId);
    const { paymentId: oldQueued } = await insertPayment(merchantId);
    await sendReceiptEmail(old, { to: "old@example.com", now: () => t0 });
    await db().$transaction((tx) => enqueueReceiptEmail(tx, { merchantId, paymentId: oldQueued, to: "q@example.com" }, t0));
    const dayMs = 86_400_000;
    await purgeNotificationLogs(new Date(t0.getTime() + 89 * dayMs));
    expect(await db().emailMessage.count({ where: { merchantId } })).toBe(2);
    await purgeNotificationLogs(new Date(t0.getTime() + 91 * dayMs));
    expect(await db().emailMessage.findMany({ where: { merchantId }, select: { relatedObjectId: true } })).toEqual([{ relatedObjectId: oldQueued }]);
  });

  test("a payment without a customer email is skipped; SMTP failures are retried, then given up", async () => {
    const { merchantId } = await makeMerchant();
    const { paymentId: anonymous } = await insertPayment(merchantId);
    expect(await sendReceiptEmail(anonymous)).toMatchObject({ status: "skipped", error: expect.stringMatching(/No recipient/) });

    const { paymentId } = await insertPayment(merchantId);
    const t0 = new Date("2026-11-26T12:00:00Z");
    await db().$transaction((tx) => enqueueReceiptEmail(tx, { merchantId, paymentId, to: "ann@example.com" }, t0));
    const flaky = recordingTransport(1);
    expect(await sendQueuedEmails({ now: () => t0, transport: flaky })).toMatchObject([{ status: "queued", error: "421 Service not available" }]);
    expect(await sendQueuedEmails({ now: () => new Date(t0.getTime() + 30_000), transport: flaky })).toEqual([]);
    expect(await sendQueuedEmails({ now: () => new Date(t0.getTime() + 60_000), transport: flaky })).toMatchObject([{ status: "sent" }]);
    expect(flaky.sent).toHaveLength(1);
    expect(flaky.sent[0]).toMatchObject({ to: "ann@example.com", subject: expect.stringContaining("Your receipt") });

    const { paymentId: doomed } = await insertPayment(merchantId);
    await db().$transaction((tx) => enqueueReceiptEmail(tx, { merchantId, paymentId: doomed, to: "bob@example.com" }, t0));
    const down = recordingTransport(1_000);
    let clock = t0;
    for (let i = 0; i < EMAIL_ATTEMPTS_MAX + 2; i++) {
      await sendQueuedEmails({ now: () => clock, transport: down });
      clock = new Date(clock.getTime() + 2 * 86_400_000);
    }
    const row = await db().emailMessage.findUniqueOrThrow({ where: { dedupeKey: `receipt:${doomed}` } });
    expect(row).toMatchObject({ status: "failed", attemptCount: EMAIL_ATTEMPTS_MAX });
  });
});
