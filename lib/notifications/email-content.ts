// Envelope encryption of the email outbox (email_messages): the recipient address and the rendered bodies
// (a receipt carries the customer's name and email) are stored AES-256-GCM encrypted, never in plaintext.
// A message about a customer is sealed with that customer's data key, so erasing the customer (dropping
// the key) crypto-shreds it; one without a customer uses a key derived (HKDF) from the merchant data key.
// Associated data binds each value to its row and column (email_messages|<id>|<column>).
import { hkdfSync } from "node:crypto";
import { assert } from "@/lib/api/errors";
import { decryptAesGcm, encryptAesGcm, fieldContext, KEY_BYTES, toBytes } from "@/lib/compliance/encryption/aes-gcm";
import { findCustomerDataKey, findMerchantDataKey, getOrCreateMerchantDataKey, type MerchantKey } from "@/lib/compliance/encryption/key-hierarchy";
import { db, type Db, type Tx } from "@/lib/db/client";

export type EmailColumn = "to_address_encrypted" | "body_encrypted";
export type EmailBody = { text: string; html: string };
export type EmailKeyOwner = { merchantId: string | null; customerId: string | null };

function merchantEmailKey(merchantKey: MerchantKey): Buffer {
  return Buffer.from(hkdfSync("sha256", merchantKey.key, Buffer.from("settle-email-outbox-v1"), Buffer.from("email_messages"), KEY_BYTES));
}

/**
 * The key that seals a message's content, or null when it cannot be had: the customer was erased (their
 * key is gone), or, when reading, the merchant never had a data key. `create` makes the merchant key on
 * first use (sealing, inside the caller's transaction).
 */
async function contentKey(owner: EmailKeyOwner, client: Tx | Db, create: boolean): Promise<Buffer | null> {
  assert(owner.merchantId, "outbox content belongs to a merchant");
  if (owner.customerId) return findCustomerDataKey(owner.merchantId, owner.customerId, client);
  const merchantKey = create ? await getOrCreateMerchantDataKey(client, owner.merchantId) : await findMerchantDataKey(owner.merchantId, client);
  return merchantKey ? merchantEmailKey(merchantKey) : null;
}

export type SealedEmailContent = { toAddressEncrypted: Uint8Array<ArrayBuffer> | null; bodyEncrypted: Uint8Array<ArrayBuffer> | null };

/** Seals what is given; null (nothing stored) for a value whose key is gone (an erased customer). */
export async function sealEmailContent(
  client: Tx | Db,
  owner: EmailKeyOwner,
  emailId: string,
  content: { toAddress?: string | null; body?: EmailBody | null },
): Promise<SealedEmailContent> {
  const none = { toAddressEncrypted: null, bodyEncrypted: null };
  if (!content.toAddress && !content.body) return none;
  const key = await contentKey(owner, client, true);
  if (!key) return none;
  try {
    const seal = (column: EmailColumn, plaintext: string) => toBytes(encryptAesGcm(key, Buffer.from(plaintext, "utf8"), fieldContext("email_messages", emailId, column)));
    return {
      toAddressEncrypted: content.toAddress ? seal("to_address_encrypted", content.toAddress) : null,
      bodyEncrypted: content.body ? seal("body_encrypted", JSON.stringify({ text: content.body.text, html: content.body.html })) : null,
    };
  } finally {
    if (owner.customerId) key.fill(0);
  }
}

export type OpenedEmailContent = { toAddress: string | null; body: EmailBody | null; unreadable: boolean };

/** Opens a message's content; `unreadable` when it was sealed but the key is gone (crypto-shredded). */
export async function openEmailContent(
  row: EmailKeyOwner & { id: string; toAddressEncrypted: Uint8Array | null; bodyEncrypted: Uint8Array | null },
  client: Tx | Db = db(),
): Promise<OpenedEmailContent> {
  if (!row.toAddressEncrypted && !row.bodyEncrypted) return { toAddress: null, body: null, unreadable: false };
  const key = await contentKey(row, client, false);
  if (!key) return { toAddress: null, body: null, unreadable: true };
  try {
    const open = (column: EmailColumn, sealed: Uint8Array) => decryptAesGcm(key, sealed, fieldContext("email_messages", row.id, column)).toString("utf8");
    return {
      toAddress: row.toAddressEncrypted ? open("to_address_encrypted", row.toAddressEncrypted) : null,
      body: row.bodyEncrypted ? (JSON.parse(open("body_encrypted", row.bodyEncrypted)) as EmailBody) : null,
      unreadable: false,
    };
  } finally {
    if (row.customerId) key.fill(0);
  }
}

/**
 * Erasure of a customer (in its transaction): their messages lose their content (already unreadable once
 * the key is dropped; cleared so nothing is left to shred), and queued ones are never sent. The rows stay
 * with their dedupe keys, so a receipt is not queued again for the erased customer.
 */
export async function eraseCustomerEmails(tx: Tx, merchantId: string, customerId: string): Promise<number> {
  return tx.$executeRaw`
    update email_messages
    set to_address_encrypted = null, body_encrypted = null,
        status = case when status in ('queued', 'sending') then 'skipped' else status end,
        error = case when status in ('queued', 'sending') then 'The customer was erased.' else error end,
        next_attempt_at = null
    where merchant_id = ${merchantId} and customer_id = ${customerId}`;
}

export const CUSTOMER_EMAILS_EXPORT_MAX = 1_000;

/** For the GDPR export: the customer's outbox messages, newest first, with the address opened. */
export async function listCustomerEmails(client: Tx | Db, merchantId: string, customerId: string) {
  const rows = await client.emailMessage.findMany({
    where: { merchantId, customerId },
    orderBy: { id: "desc" },
    take: CUSTOMER_EMAILS_EXPORT_MAX,
    select: { id: true, merchantId: true, customerId: true, kind: true, status: true, subject: true, toAddressEncrypted: true, createdAt: true, sentAt: true, relatedObjectId: true },
  });
  const out = [];
  for (const row of rows) {
    const { toAddress } = await openEmailContent({ ...row, bodyEncrypted: null }, client);
    out.push({
      id: row.id, kind: row.kind, status: row.status, to: toAddress, subject: row.subject, related_object: row.relatedObjectId,
      created_at: row.createdAt.toISOString(), sent_at: row.sentAt?.toISOString() ?? null,
    });
  }
  return out;
}
