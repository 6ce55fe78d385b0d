// A customer's payment attempts for GDPR: the ones linked to them by customer id, or (guest checkouts)
// by the pseudonym of their email. Export lists them; erasure neutralises them: the link columns that
// could single the person out again (email and IP pseudonyms, card fingerprint, countries) are cleared,
// while the pseudonymous customer id, amounts and results stay, as payments and the ledger keep theirs,
// so AML aggregates and every balance are unchanged.
import { findMerchantDataKey } from "@/lib/compliance/encryption/key-hierarchy";
import type { Db, Tx } from "@/lib/db/client";
import { attemptEmailPseudonym } from "./attempt-pseudonyms";

export const CUSTOMER_ATTEMPTS_EXPORT_MAX = 1_000;

type CustomerRef = { merchantId: string; customerId: string; email: string | null };

async function emailPseudonymOf(client: Tx | Db, ref: CustomerRef): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!ref.email) return null;
  const merchantKey = await findMerchantDataKey(ref.merchantId, client);
  return merchantKey ? attemptEmailPseudonym(merchantKey, ref.email) : null;
}

async function linkedWhere(client: Tx | Db, ref: CustomerRef) {
  const emailHmac = await emailPseudonymOf(client, ref);
  return { merchantId: ref.merchantId, OR: [{ customerId: ref.customerId }, ...(emailHmac ? [{ emailHmac }] : [])] };
}

/** For the export: newest first, bounded. The email and IP are held only as pseudonyms: said so, not shown. */
export async function listCustomerPaymentAttempts(client: Tx | Db, ref: CustomerRef) {
  const rows = await client.riskPaymentAttempt.findMany({
    where: await linkedWhere(client, ref),
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: CUSTOMER_ATTEMPTS_EXPORT_MAX,
    select: {
      paymentId: true, customerId: true, emailHmac: true, cardFingerprint: true, ipAddressHmac: true, ipCountry: true,
      billingCountry: true, amountMinor: true, currency: true, succeeded: true, occurredAt: true,
    },
  });
  return rows.map((row) => ({
    payment_id: row.paymentId,
    linked_by: row.customerId === ref.customerId ? "customer" : "email",
    occurred_at: row.occurredAt.toISOString(),
    succeeded: row.succeeded,
    amount_minor: row.amountMinor.toString(),
    currency: row.currency,
    card_fingerprint: row.cardFingerprint,
    ip_country: row.ipCountry?.trim() || null,
    billing_country: row.billingCountry?.trim() || null,
    email: row.emailHmac ? "held as a keyed pseudonym (HMAC), not readable" : null,
    ip_address: row.ipAddressHmac ? "held as a keyed pseudonym (HMAC), not readable" : null,
  }));
}

/** For erasure, in its transaction and before the customer's email becomes unreadable. Returns rows changed. */
export async function neutraliseCustomerPaymentAttempts(tx: Tx, ref: CustomerRef): Promise<number> {
  const { count } = await tx.riskPaymentAttempt.updateMany({
    where: await linkedWhere(tx, ref),
    data: { emailHmac: null, ipAddressHmac: null, cardFingerprint: null, ipCountry: null, billingCountry: null },
  });
  return count;
}
