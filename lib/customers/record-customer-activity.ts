// For other domains (payments): the customer did something. Moves the retention clock and remembers the
// IP address the activity came from (encrypted, the last IP_ADDRESSES_MAX distinct ones).
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { findCustomerDataKey } from "@/lib/compliance/encryption/key-hierarchy";
import { db, type Tx } from "@/lib/db/client";
import { decryptCustomer, encryptPersonalFields, ENCRYPTED_ROW_SELECT } from "./customer-fields";

const IP_ADDRESSES_MAX = 10;

export async function recordCustomerActivity(
  input: { merchantId: string; customerId: string; ip?: string | null; actor?: Actor },
  client?: Tx,
): Promise<void> {
  const run = async (tx: Tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      select id from customers where id = ${input.customerId} and merchant_id = ${input.merchantId} and erased_at is null for update`;
    if (rows.length === 0) return;
    const data: { lastActiveAt: Date; ipAddressesEncrypted?: Uint8Array<ArrayBuffer> | null } = { lastActiveAt: new Date() };
    if (input.ip) {
      const key = await findCustomerDataKey(input.merchantId, input.customerId, tx);
      const row = await tx.customer.findUniqueOrThrow({ where: { id: input.customerId }, select: ENCRYPTED_ROW_SELECT });
      if (key) {
        const current = decryptCustomer(row, key).ipAddresses;
        if (!current.includes(input.ip)) {
          data.ipAddressesEncrypted = encryptPersonalFields(key, input.customerId, { ipAddresses: [...current, input.ip].slice(-IP_ADDRESSES_MAX) }).ipAddressesEncrypted;
          if (input.actor) {
            await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: "customer.ip_recorded", target: { type: "customer", id: input.customerId } }, tx);
          }
        }
        key.fill(0);
      }
    }
    await tx.customer.update({ where: { id: input.customerId }, data, select: { id: true } });
  };
  if (client) await run(client);
  else await db().$transaction(run);
}
