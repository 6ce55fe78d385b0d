// GDPR erasure by crypto-shredding: the customer's data key is deleted, so every encrypted field becomes
// unreadable (including copies in backups); the row and its pseudonymous id stay, so payments and ledger
// entries that reference it are untouched and balances do not change. Also the retention job. Fraud
// history linked to the customer (by id or email pseudonym) loses its identifying link columns; their
// outbox emails (sealed with their key) are cleared and never sent.
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { destroyCustomerDataKey } from "@/lib/compliance/encryption/key-hierarchy";
import { db, type Tx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { neutraliseCustomerPaymentAttempts } from "@/lib/fraud/customer-payment-attempts";
import { eraseCustomerEmails } from "@/lib/notifications/email-content";
import { toCustomerDto } from "./customer-dto";
import type { TCustomerDto } from "./customer.types";
import { getCustomerOrThrow } from "./get-customer";

const RETENTION_BATCH_MAX = 500;

async function eraseInTx(tx: Tx, merchantId: string, customerId: string, actor: Actor, reason: "request" | "retention"): Promise<TCustomerDto> {
  // Read while still readable: the email links guest-checkout attempts to this customer.
  const before = await getCustomerOrThrow(merchantId, customerId, { client: tx });
  // One conditional write decides who erases; a repeat finds it already erased and returns the result.
  const erased = await tx.$executeRaw`
    update customers set erased_at = now(), email_index = null
    where id = ${customerId} and merchant_id = ${merchantId} and erased_at is null`;
  if (erased === 1) {
    const attempts = await neutraliseCustomerPaymentAttempts(tx, { merchantId, customerId, email: before.email });
    const emails = await eraseCustomerEmails(tx, merchantId, customerId);
    const destroyed = await destroyCustomerDataKey(tx, merchantId, customerId);
    await recordAuditEvent(
      {
        merchantId, actor, action: "customer.erased", target: { type: "customer", id: customerId },
        data: { reason, data_key_destroyed: destroyed, payment_attempts_neutralised: attempts, emails_erased: emails },
      },
      tx,
    );
  }
  const customer = await getCustomerOrThrow(merchantId, customerId, { client: tx });
  if (!customer.erasedAt) throw new AppError("invalid_state_transition", `Customer '${customerId}' could not be erased.`);
  return toCustomerDto(customer);
}

/** Erases one customer (idempotent: erasing again returns the erased customer). */
export async function eraseCustomer(merchantId: string, customerId: string, actor: Actor, tx?: Tx): Promise<TCustomerDto> {
  await getCustomerOrThrow(merchantId, customerId, tx ? { client: tx } : {});
  return tx ? eraseInTx(tx, merchantId, customerId, actor, "request") : db().$transaction((inner) => eraseInTx(inner, merchantId, customerId, actor, "request"));
}

/** Erases customers inactive for longer than PERSONAL_DATA_RETENTION_DAYS, oldest first, in batches. */
export async function eraseInactiveCustomers(options: { now?: Date; batchSize?: number; batchesMax?: number } = {}): Promise<{ erased: number }> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - getEnv().PERSONAL_DATA_RETENTION_DAYS * 86_400_000);
  const batchSize = Math.min(Math.max(options.batchSize ?? 100, 1), RETENTION_BATCH_MAX);
  const actor: Actor = { type: "system", id: "retention" };
  let erased = 0;
  for (let batch = 0; batch < (options.batchesMax ?? 100); batch++) {
    const count = await db().$transaction(async (tx) => {
      const due = await tx.$queryRaw<{ id: string; merchant_id: string }[]>`
        select id, merchant_id from customers where erased_at is null and last_active_at < ${cutoff}
        order by last_active_at limit ${batchSize} for update skip locked`;
      for (const row of due) await eraseInTx(tx, row.merchant_id, row.id, actor, "retention");
      return due.length;
    });
    erased += count;
    if (count < batchSize) break;
  }
  return { erased };
}
