// Creates a customer: a fresh data key wrapped by the merchant key, each personal field encrypted under
// it, the email's blind index, and the audit row, all in the caller's transaction.
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { toBytes } from "@/lib/compliance/encryption/aes-gcm";
import { emailBlindIndex, getOrCreateMerchantDataKey, newDataKey, storeCustomerDataKey } from "@/lib/compliance/encryption/key-hierarchy";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { encryptPersonalFields } from "./customer-fields";
import { ZCustomerCreatedDto, type TCreateCustomerRequest, type TCustomerCreatedDto } from "./customer.types";

export type CreateCustomerInput = TCreateCustomerRequest & { merchantId: string; actor: Actor; ipAddresses?: string[] };

export async function createCustomer(tx: Tx, input: CreateCustomerInput): Promise<TCustomerCreatedDto> {
  const merchantKey = await getOrCreateMerchantDataKey(tx, input.merchantId);
  const id = newId("customer");
  const customerKey = newDataKey();
  const now = new Date();
  try {
    await tx.customer.create({
      data: {
        id,
        merchantId: input.merchantId,
        emailIndex: toBytes(emailBlindIndex(merchantKey, input.email)),
        ...encryptPersonalFields(customerKey, id, {
          email: input.email,
          name: input.name ?? null,
          phone: input.phone ?? null,
          address: input.address ?? null,
          metadata: input.metadata ?? {},
          ipAddresses: input.ipAddresses ?? [],
        }),
        createdAt: now,
        lastActiveAt: now,
      },
      select: { id: true },
    });
    await storeCustomerDataKey(tx, merchantKey, id, customerKey);
  } finally {
    customerKey.fill(0);
  }
  // Field names only: the audit log is append-only and can never be erased, so no personal data in it.
  const fields = ["email", ...(["name", "phone", "address", "metadata"] as const).filter((field) => input[field] !== undefined)];
  await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: "customer.created", target: { type: "customer", id }, data: { fields } }, tx);
  return ZCustomerCreatedDto.parse({ id, object: "customer", created: Math.floor(now.getTime() / 1000), erased: false, personal_data: "stored_encrypted" });
}
