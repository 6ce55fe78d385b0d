// Request schemas of the payments API and the payment object it returns.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";
import { ZCurrencyCode, ZPositiveAmountMinor, amountMinorSchema } from "@/lib/money";
import { PAYMENT_STATUSES } from "./state-machine";

/** Stripe's metadata limits: 50 keys, key ≤ 40 chars, value ≤ 500 chars, strings only. */
export const ZMetadata = z
  .record(z.string().min(1).max(40).regex(/^[^[\]]+$/, "metadata keys may not contain brackets"), z.string().max(500))
  .refine((value) => Object.keys(value).length <= 50, "metadata takes at most 50 keys");

export const ZCreatePaymentRequest = z.strictObject({
  amount: ZPositiveAmountMinor,
  currency: ZCurrencyCode,
  /** A PSP PaymentMethod (pm_…, card or bank debit) or a customer wallet account of this merchant (acct_…). */
  payment_method: z.string().regex(/^(pm|acct)_[A-Za-z0-9_]{1,200}$/, "payment_method must be a PaymentMethod (pm_…) or a wallet account (acct_…)"),
  capture_method: z.enum(["automatic", "manual"]).default("automatic"),
  customer: z.string().min(1).max(100).optional(),
  /**
   * The shopper's IP address as the merchant's site saw it (IPv4 or IPv6), for the fraud checks (velocity,
   * block lists, geolocation). Not the API caller's address: that is the merchant's server.
   */
  customer_ip: z.union([z.ipv4(), z.ipv6()], { error: "customer_ip must be an IPv4 or IPv6 address" }).optional(),
  description: z.string().max(1000).optional(),
  statement_descriptor: z.string().min(1).max(22).regex(/^[^<>'"*]+$/, "statement_descriptor may not contain < > ' \" *").optional(),
  metadata: ZMetadata.optional(),
});
export type TCreatePaymentRequest = z.output<typeof ZCreatePaymentRequest>;

export const ZCapturePaymentRequest = z.strictObject({
  amount_to_capture: ZPositiveAmountMinor.optional(),
});
export type TCapturePaymentRequest = z.output<typeof ZCapturePaymentRequest>;

export const ZCancelPaymentRequest = z.strictObject({
  cancellation_reason: z.enum(["duplicate", "fraudulent", "requested_by_customer", "abandoned"]).optional(),
});
export type TCancelPaymentRequest = z.output<typeof ZCancelPaymentRequest>;

const ZIsoDate = z.coerce.date({ error: "must be an ISO 8601 date or unix seconds" });
const ZDateFilter = z.preprocess((value) => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) * 1000 : value), ZIsoDate);

export const ZListPaymentsQuery = ZListQuery.extend({
  status: z.enum(PAYMENT_STATUSES).optional(),
  customer: z.string().min(1).max(100).optional(),
  currency: ZCurrencyCode.optional(),
  "created[gte]": ZDateFilter.optional(),
  "created[lte]": ZDateFilter.optional(),
  "amount[gte]": amountMinorSchema("non_negative").optional(),
  "amount[lte]": amountMinorSchema("non_negative").optional(),
});
export type TListPaymentsQuery = z.output<typeof ZListPaymentsQuery>;

export type TPaymentMethodDetails = { type: string; brand: string | null; last4: string | null; wallet: string | null };

export type TPaymentDto = {
  id: string;
  object: "payment";
  amount: number | string;
  amount_captured: number | string;
  amount_refunded: number | string;
  currency: string;
  status: string;
  capture_method: string;
  payment_method_details: TPaymentMethodDetails | null;
  customer: string | null;
  description: string | null;
  statement_descriptor: string | null;
  failure_code: string | null;
  failure_message: string | null;
  decline_code: string | null;
  psp_reference: string | null;
  receipt_number: string;
  receipt_url: string;
  next_action: unknown;
  metadata: Record<string, string>;
  version: number;
  created: string;
  pending_at: string | null;
  review_at: string | null;
  authorized_at: string | null;
  captured_at: string | null;
  settled_at: string | null;
  failed_at: string | null;
  canceled_at: string | null;
  refunded_at: string | null;
  refund_settled_at: string | null;
  chargeback_at: string | null;
};
