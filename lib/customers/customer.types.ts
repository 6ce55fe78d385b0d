// Request and response shapes of the customers API, and the decrypted Customer other domains receive.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";

export const ZAddress = z.strictObject({
  line1: z.string().trim().max(200).optional(),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().max(100).optional(),
  state: z.string().trim().max(100).optional(),
  postal_code: z.string().trim().max(20).optional(),
  country: z.string().trim().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code").optional(),
});
export type TAddress = z.infer<typeof ZAddress>;

/** Stripe's limits: 50 keys, keys up to 40 characters, values up to 500. */
export const ZMetadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((value) => Object.keys(value).length <= 50, "at most 50 keys");
export type TMetadata = z.infer<typeof ZMetadata>;

export const ZCreateCustomerRequest = z.strictObject({
  email: z.string().trim().max(254).email(),
  name: z.string().trim().min(1).max(256).optional(),
  phone: z.string().trim().max(32).regex(/^\+?[0-9 ()./-]{3,32}$/, "must be a phone number").optional(),
  address: ZAddress.optional(),
  metadata: ZMetadata.optional(),
});
export type TCreateCustomerRequest = z.infer<typeof ZCreateCustomerRequest>;

export const ZListCustomersQuery = ZListQuery.extend({
  /** Exact match on the normalised email, through the blind index. */
  email: z.string().trim().max(254).email().optional(),
});
export type TListCustomersQuery = z.infer<typeof ZListCustomersQuery>;

/** The decrypted customer, for other domains (payments). Personal fields are null once erased. */
export type Customer = {
  id: string;
  merchantId: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  address: TAddress | null;
  metadata: TMetadata;
  ipAddresses: string[];
  createdAt: Date;
  lastActiveAt: Date;
  erasedAt: Date | null;
};

/** The API representation (times are Unix seconds, as Stripe's). */
export const ZCustomerDto = z.strictObject({
  id: z.string().startsWith("cus_"),
  object: z.literal("customer"),
  created: z.number().int(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  address: ZAddress.nullable(),
  metadata: z.record(z.string(), z.string()),
  ip_addresses: z.array(z.string()),
  erased: z.boolean(),
  erased_at: z.number().int().nullable(),
});
export type TCustomerDto = z.infer<typeof ZCustomerDto>;

/**
 * What POST /v1/customers returns. The personal fields are not echoed: a create response is stored in
 * plaintext for idempotent replay (idempotency_keys.response_body), which would put personal data at
 * rest unencrypted and out of reach of erasure. Read it back with GET /v1/customers/:id (audited).
 */
export const ZCustomerCreatedDto = z.strictObject({
  id: z.string().startsWith("cus_"),
  object: z.literal("customer"),
  created: z.number().int(),
  erased: z.literal(false),
  personal_data: z.literal("stored_encrypted"),
});
export type TCustomerCreatedDto = z.infer<typeof ZCustomerCreatedDto>;
