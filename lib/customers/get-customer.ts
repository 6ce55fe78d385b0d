// Reading customers: by id (for payments and the API), by email through the blind index, and the audited
// read a person makes through the API or the dashboard.
import { AppError } from "@/lib/api/errors";
import { type PersonalDataReader, recordPersonalDataRead } from "@/lib/compliance/record-audit-event";
import { toBytes } from "@/lib/compliance/encryption/aes-gcm";
import { emailBlindIndex, findCustomerDataKey, findMerchantDataKey } from "@/lib/compliance/encryption/key-hierarchy";
import { db, type Db, type Tx } from "@/lib/db/client";
import { hasPrefix } from "@/lib/ids";
import { maskCustomerDto, toCustomerDto } from "./customer-dto";
import { decryptCustomer, ENCRYPTED_ROW_SELECT, type EncryptedRow } from "./customer-fields";
import type { Customer, TCustomerDto } from "./customer.types";

const BY_EMAIL_MAX = 100;

export async function decryptRow(row: EncryptedRow, client: Tx | Db = db()): Promise<Customer> {
  const key = row.erasedAt ? null : await findCustomerDataKey(row.merchantId, row.id, client);
  try {
    return decryptCustomer(row, key);
  } finally {
    key?.fill(0);
  }
}

/** The decrypted customer, or `resource_missing` (also for another merchant's id). Erased: fields null. */
export async function getCustomerOrThrow(merchantId: string, id: string, options: { client?: Tx | Db } = {}): Promise<Customer> {
  const client = options.client ?? db();
  const row = hasPrefix(id, "customer") ? await client.customer.findFirst({ where: { id, merchantId }, select: ENCRYPTED_ROW_SELECT }) : null;
  if (!row) throw new AppError("resource_missing", `No such customer: '${id}'`, { param: "id" });
  return decryptRow(row, client);
}

/** Customers of the merchant with exactly this email (normalised), newest first; none once erased. */
export async function findCustomersByEmail(merchantId: string, email: string, options: { client?: Tx | Db; limit?: number } = {}): Promise<Customer[]> {
  const client = options.client ?? db();
  const merchantKey = await findMerchantDataKey(merchantId, client);
  if (!merchantKey) return [];
  const rows = await client.customer.findMany({
    where: { merchantId, emailIndex: toBytes(emailBlindIndex(merchantKey, email)), erasedAt: null },
    orderBy: { id: "desc" },
    take: Math.min(options.limit ?? BY_EMAIL_MAX, BY_EMAIL_MAX),
    select: ENCRYPTED_ROW_SELECT,
  });
  return Promise.all(rows.map((row) => decryptRow(row, client)));
}

/** The newest customer with this email, or null. For payments: "is this buyer a known customer?" */
export async function findCustomerByEmail(merchantId: string, email: string): Promise<Customer | null> {
  const [customer] = await findCustomersByEmail(merchantId, email, { limit: 1 });
  return customer ?? null;
}

/**
 * A person reads a customer's personal data: decrypted, and audited as `personal_data.read`. `masked`
 * (dashboard viewers) returns the masked view; the access is still recorded.
 */
export async function readCustomer(input: PersonalDataReader & { customerId: string }): Promise<TCustomerDto> {
  const customer = await getCustomerOrThrow(input.merchantId, input.customerId);
  await recordPersonalDataRead({
    merchantId: input.merchantId, actor: input.actor, target: { type: "customer", id: customer.id }, via: input.via ?? "api", masked: input.masked ?? false,
  });
  const dto = toCustomerDto(customer);
  return input.masked ? maskCustomerDto(dto) : dto;
}
