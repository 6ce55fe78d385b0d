// Encrypts and decrypts a customer's personal fields under the customer's own data key. Each value's
// associated data is customers|<id>|<column>, so a ciphertext moved to another row or column is refused.
import { decryptAesGcm, encryptAesGcm, fieldContext, toBytes } from "@/lib/compliance/encryption/aes-gcm";
import type { Customer, TAddress, TMetadata } from "./customer.types";

export const ENCRYPTED_COLUMNS = {
  name: "name_encrypted",
  email: "email_encrypted",
  phone: "phone_encrypted",
  address: "address_encrypted",
  ipAddresses: "ip_addresses_encrypted",
  metadata: "metadata_encrypted",
} as const;

type PersonalFields = Pick<Customer, "email" | "name" | "phone" | "address" | "metadata" | "ipAddresses">;

export type EncryptedRow = {
  id: string;
  merchantId: string;
  nameEncrypted: Uint8Array | null;
  emailEncrypted: Uint8Array | null;
  phoneEncrypted: Uint8Array | null;
  addressEncrypted: Uint8Array | null;
  ipAddressesEncrypted: Uint8Array | null;
  metadataEncrypted: Uint8Array | null;
  createdAt: Date;
  lastActiveAt: Date;
  erasedAt: Date | null;
};

export const ENCRYPTED_ROW_SELECT = {
  id: true, merchantId: true, nameEncrypted: true, emailEncrypted: true, phoneEncrypted: true, addressEncrypted: true,
  ipAddressesEncrypted: true, metadataEncrypted: true, createdAt: true, lastActiveAt: true, erasedAt: true,
} as const;

function seal(key: Buffer, customerId: string, field: keyof typeof ENCRYPTED_COLUMNS, value: unknown): Uint8Array<ArrayBuffer> | null {
  if (value === undefined || value === null) return null;
  const plaintext = Buffer.from(JSON.stringify(value), "utf8");
  return toBytes(encryptAesGcm(key, plaintext, fieldContext("customers", customerId, ENCRYPTED_COLUMNS[field])));
}

function open<T>(key: Buffer, customerId: string, field: keyof typeof ENCRYPTED_COLUMNS, sealed: Uint8Array | null): T | null {
  if (!sealed) return null;
  return JSON.parse(decryptAesGcm(key, sealed, fieldContext("customers", customerId, ENCRYPTED_COLUMNS[field])).toString("utf8")) as T;
}

export function encryptPersonalFields(key: Buffer, customerId: string, fields: Partial<PersonalFields>) {
  return {
    nameEncrypted: seal(key, customerId, "name", fields.name),
    emailEncrypted: seal(key, customerId, "email", fields.email),
    phoneEncrypted: seal(key, customerId, "phone", fields.phone),
    addressEncrypted: seal(key, customerId, "address", fields.address),
    ipAddressesEncrypted: seal(key, customerId, "ipAddresses", fields.ipAddresses?.length ? fields.ipAddresses : null),
    metadataEncrypted: seal(key, customerId, "metadata", fields.metadata && Object.keys(fields.metadata).length ? fields.metadata : null),
  };
}

/** The decrypted customer; with no key (erased) every personal field is empty. */
export function decryptCustomer(row: EncryptedRow, key: Buffer | null): Customer {
  const base = { id: row.id, merchantId: row.merchantId, createdAt: row.createdAt, lastActiveAt: row.lastActiveAt, erasedAt: row.erasedAt };
  if (!key) return { ...base, email: null, name: null, phone: null, address: null, metadata: {}, ipAddresses: [] };
  return {
    ...base,
    email: open<string>(key, row.id, "email", row.emailEncrypted),
    name: open<string>(key, row.id, "name", row.nameEncrypted),
    phone: open<string>(key, row.id, "phone", row.phoneEncrypted),
    address: open<TAddress>(key, row.id, "address", row.addressEncrypted),
    metadata: open<TMetadata>(key, row.id, "metadata", row.metadataEncrypted) ?? {},
    ipAddresses: open<string[]>(key, row.id, "ipAddresses", row.ipAddressesEncrypted) ?? [],
  };
}
