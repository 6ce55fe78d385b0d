// Receipt emails through the email outbox: enqueueReceiptEmail writes a queued message in the caller's
// transaction (payments call it when a payment is captured); the receipts.send job renders and sends
// it (SMTP, or the local outbox) with retries. sendReceiptEmail does both at once for one payment.
// The address and bodies are stored encrypted (lib/notifications/email-content.ts); only the sender opens
// the address, and the outbox view opens what was sent.
import { AppError } from "@/lib/api/errors";
import { getCustomerOrThrow } from "@/lib/customers/get-customer";
import { db, type Tx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { runPollingLoop } from "@/lib/jobs/polling-loop";
import { logger } from "@/lib/log/logger";
import { openEmailContent, sealEmailContent } from "@/lib/notifications/email-content";
import { getEmailTransport, type EmailTransport } from "./email-transport";
import { getReceiptByPaymentId } from "./get-receipt";
import { renderReceiptEmail } from "./render-receipt-email";

export const EMAIL_ATTEMPTS_MAX = 8;
const EMAIL_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000];
const EMAIL_CLAIM_LEASE_MS = 2 * 60_000;
export const EMAIL_BATCH_SIZE = 20;
const EMAIL_ADDRESS = /^[^\s@<>]{1,64}@[^\s@<>]{1,255}$/;

export type EmailOptions = { now?: () => Date; transport?: EmailTransport };

export type EmailOutcome = { emailId: string; status: "queued" | "sent" | "stored" | "skipped" | "failed"; error: string | null };

function dedupeKey(paymentId: string): string {
  return `receipt:${paymentId}`;
}

/**
 * Queues the receipt email of a payment in the caller's transaction; at most one per payment (a second
 * call is a no-op). `to` overrides the customer's email (e.g. a receipt_email given at checkout); it is
 * sealed with the payment's customer's key (`customerId`, looked up when not given) or the merchant's.
 */
export async function enqueueReceiptEmail(
  tx: Tx,
  input: { merchantId: string; paymentId: string; to?: string | null; customerId?: string | null },
  now: Date = new Date(),
): Promise<{ emailId: string; queued: boolean }> {
  if (input.to && !EMAIL_ADDRESS.test(input.to)) throw new AppError("parameter_invalid", "The receipt email address is not valid.", { param: "receipt_email" });
  const id = newId("email", now.getTime());
  let customerId = input.customerId ?? null;
  let toAddressEncrypted: Uint8Array<ArrayBuffer> | null = null;
  if (input.to) {
    if (input.customerId === undefined) {
      const payment = await tx.payment.findFirst({ where: { id: input.paymentId, merchantId: input.merchantId }, select: { customerId: true } });
      customerId = payment?.customerId ?? null;
    }
    ({ toAddressEncrypted } = await sealEmailContent(tx, { merchantId: input.merchantId, customerId }, id, { toAddress: input.to }));
  }
  const { count } = await tx.emailMessage.createMany({
    data: [{ id, merchantId: input.merchantId, customerId, dedupeKey: dedupeKey(input.paymentId), kind: "receipt", toAddressEncrypted, status: "queued", nextAttemptAt: now, relatedObjectId: input.paymentId, createdAt: now }],
    skipDuplicates: true,
  });
  if (count === 1) return { emailId: id, queued: true };
  const existing = await tx.emailMessage.findUniqueOrThrow({ where: { dedupeKey: dedupeKey(input.paymentId) }, select: { id: true } });
  return { emailId: existing.id, queued: false };
}

/** The recipient: the address given when queued, else the customer's email (null once erased or unknown). */
async function recipientOf(message: { toAddress: string | null; sealedUnreadable: boolean }, receipt: { merchantId: string; customerId: string | null }): Promise<string | null> {
  if (message.toAddress) return message.toAddress;
  if (message.sealedUnreadable || !receipt.customerId) return null;
  try {
    const customer = await getCustomerOrThrow(receipt.merchantId, receipt.customerId);
    return customer.email;
  } catch (error) {
    if (error instanceof AppError && error.code === "resource_missing") return null;
    throw error;
  }
}

function retryDelayMs(attempts: number): number {
  return EMAIL_RETRY_DELAYS_MS[Math.min(attempts - 1, EMAIL_RETRY_DELAYS_MS.length - 1)]!;
}

/** Renders and sends one claimed message, and records the outcome. */
async function processEmail(emailId: string, options: EmailOptions): Promise<EmailOutcome> {
  const clock = options.now ?? (() => new Date());
  const transport = options.transport ?? getEmailTransport();
  const message = await db().emailMessage.findUniqueOrThrow({
    where: { id: emailId },
    select: { id: true, merchantId: true, customerId: true, kind: true, toAddressEncrypted: true, bodyEncrypted: true, relatedObjectId: true, attemptCount: true },
  });
  const finish = async (data: Prisma.EmailMessageUpdateManyMutationInput, status: EmailOutcome["status"], error: string | null) => {
    await db().emailMessage.updateMany({ where: { id: emailId, status: "sending" }, data: { ...data, status, error } });
    return { emailId, status, error };
  };
  if (message.kind !== "receipt" || !message.relatedObjectId) return finish({ nextAttemptAt: null }, "failed", `Unknown email kind: ${message.kind}`);

  const receipt = await getReceiptByPaymentId(message.relatedObjectId);
  if (!receipt) return finish({ nextAttemptAt: null }, "skipped", "The payment has no receipt (nothing was captured).");
  const opened = await openEmailContent({ ...message, bodyEncrypted: null });
  const to = await recipientOf({ toAddress: opened.toAddress, sealedUnreadable: opened.unreadable }, receipt);
  if (!to) return finish({ nextAttemptAt: null }, "skipped", "No recipient: the payment has no customer email.");
  const rendered = renderReceiptEmail(receipt);
  const from = getEnv().EMAIL_FROM;
  // What was sent is kept sealed with the customer's key (erasure shreds it), or the merchant's.
  const owner = { merchantId: receipt.merchantId, customerId: message.customerId ?? receipt.customerId };
  const sealed = await sealEmailContent(db(), owner, emailId, { toAddress: to, body: { text: rendered.text, html: rendered.html } });
  const content = { customerId: owner.customerId, ...sealed, fromAddress: from, subject: rendered.subject, transport: transport.name };
  try {
    await transport.send({ from, to, ...rendered });
  } catch (error) {
    const attempts = message.attemptCount + 1;
    const reason = (error as Error).message?.slice(0, 500) ?? "Sending failed.";
    logger.warn({ emailId, attempts, error: reason }, "email send failed");
    if (attempts >= EMAIL_ATTEMPTS_MAX) return finish({ attemptCount: attempts, nextAttemptAt: null }, "failed", reason);
    return finish({ attemptCount: attempts, nextAttemptAt: new Date(clock().getTime() + retryDelayMs(attempts)) }, "queued", reason);
  }
  return finish({ ...content, attemptCount: message.attemptCount + 1, nextAttemptAt: null, sentAt: clock() }, transport.name === "smtp" ? "sent" : "stored", null);
}

/** Claims due queued messages (SKIP LOCKED, then a lease) and sends each once. */
export async function sendQueuedEmails(options: EmailOptions & { batchSize?: number } = {}): Promise<EmailOutcome[]> {
  const now = (options.now ?? (() => new Date()))();
  const leaseUntil = new Date(now.getTime() + EMAIL_CLAIM_LEASE_MS);
  // A "sending" message whose lease ran out belonged to a worker that died mid-send: claim it again.
  const claimed = await db().$queryRaw<{ id: string }[]>`
    with due as (
      select id from email_messages
      where status in ('queued', 'sending') and next_attempt_at <= ${now}
      order by next_attempt_at, id
      limit ${Math.min(Math.max(options.batchSize ?? EMAIL_BATCH_SIZE, 1), 100)}
      for update skip locked
    )
    update email_messages m set status = 'sending', next_attempt_at = ${leaseUntil}
    from due where m.id = due.id
    returning m.id`;
  const outcomes: EmailOutcome[] = [];
  // One at a time: SMTP servers throttle parallel connections from one client.
  for (const row of claimed) outcomes.push(await processEmail(row.id, options));
  return outcomes;
}

/** Runs sendQueuedEmails until nothing is due or the budget is spent (the worker's cron job). */
export async function runEmailLoop(options: EmailOptions & { budgetMs?: number; idleMs?: number } = {}): Promise<{ sent: number }> {
  const sent = await runPollingLoop({ budgetMs: options.budgetMs ?? 50_000, idleMs: options.idleMs ?? 2_000 }, async () => (await sendQueuedEmails(options)).length);
  return { sent };
}

export type EmailMessageDto = {
  id: string;
  kind: string;
  status: string;
  to: string | null;
  subject: string | null;
  transport: string | null;
  error: string | null;
  related_object: string | null;
  created: string;
  sent: string | null;
};

/**
 * Sends the receipt email of a payment now (queuing it first if needed). A receipt already sent or
 * stored is not sent again: the dedupe key makes this safe to call more than once.
 */
export async function sendReceiptEmail(paymentId: string, options: EmailOptions & { to?: string } = {}): Promise<EmailMessageDto> {
  const now = (options.now ?? (() => new Date()))();
  const payment = await db().payment.findUnique({ where: { id: paymentId }, select: { merchantId: true } });
  if (!payment) throw new AppError("resource_missing", `No such payment: '${paymentId}'`, { param: "payment" });
  const { emailId } = await db().$transaction((tx) => enqueueReceiptEmail(tx, { merchantId: payment.merchantId, paymentId, to: options.to }, now));
  const claimed = await db().emailMessage.updateMany({
    where: { id: emailId, status: "queued" },
    data: { status: "sending", nextAttemptAt: new Date(now.getTime() + EMAIL_CLAIM_LEASE_MS) },
  });
  if (claimed.count === 1) await processEmail(emailId, options);
  const row = await db().emailMessage.findUniqueOrThrow({ where: { id: emailId } });
  return toEmailMessageDto(row, (await openEmailContent({ ...row, bodyEncrypted: null })).toAddress);
}

/** `to` is the opened (decrypted) address, or null when there is none or it was crypto-shredded. */
export function toEmailMessageDto(
  row: { id: string; kind: string; status: string; subject: string | null; transport: string | null; error: string | null; relatedObjectId: string | null; createdAt: Date; sentAt: Date | null },
  to: string | null,
): EmailMessageDto {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    to,
    subject: row.subject,
    transport: row.transport,
    error: row.error,
    related_object: row.relatedObjectId,
    created: row.createdAt.toISOString(),
    sent: row.sentAt?.toISOString() ?? null,
  };
}
