// Request and response schemas of hosted checkout: the merchant's create call and the session object.
import { z } from "zod";
import { ZCurrencyCode, ZPositiveAmountMinor } from "@/lib/money";

/** Line items per session: enough for a basket, small enough to render on a phone. */
export const LINE_ITEMS_MAX = 100;
export const QUANTITY_MAX = 10_000;
export const EXPIRES_IN_MINUTES_DEFAULT = 30;
/** Stripe allows 30 minutes to 24 hours. */
export const EXPIRES_IN_MINUTES_MIN = 1;
export const EXPIRES_IN_MINUTES_MAX = 24 * 60;

const ZHttpUrl = z
  .string()
  .max(2000)
  .url()
  .refine((value) => /^https?:\/\//i.test(value), "must be an http(s) URL");

export const ZLineItem = z.strictObject({
  name: z.string().trim().min(1).max(200),
  quantity: z.number().int().min(1).max(QUANTITY_MAX),
  unit_amount: ZPositiveAmountMinor,
});
export type TLineItem = z.output<typeof ZLineItem>;

export const ZCreateCheckoutSessionRequest = z
  .strictObject({
    line_items: z.array(ZLineItem).min(1).max(LINE_ITEMS_MAX).optional(),
    amount: ZPositiveAmountMinor.optional(),
    currency: ZCurrencyCode,
    success_url: ZHttpUrl.optional(),
    cancel_url: ZHttpUrl.optional(),
    customer_email: z.string().trim().max(254).email().optional(),
    /** A customer wallet (acct_…) of this merchant the customer may pay from. */
    wallet_account: z.string().regex(/^acct_[a-z0-9]{1,100}$/).optional(),
    expires_in_minutes: z.number().int().min(EXPIRES_IN_MINUTES_MIN).max(EXPIRES_IN_MINUTES_MAX).default(EXPIRES_IN_MINUTES_DEFAULT),
  })
  .refine((value) => (value.line_items === undefined) !== (value.amount === undefined), {
    message: "Pass either line_items or amount, not both.",
    path: ["line_items"],
  });
export type TCreateCheckoutSessionRequest = z.output<typeof ZCreateCheckoutSessionRequest>;

export const CHECKOUT_STATUSES = ["open", "complete", "expired"] as const;
export type CheckoutStatus = (typeof CHECKOUT_STATUSES)[number];

/** Stored form of a line item (amounts as digit strings: JSON has no bigint). */
export type StoredLineItem = { name: string; quantity: number; unit_amount: string };

export type TCheckoutSessionDto = {
  id: string;
  object: "checkout.session";
  status: CheckoutStatus;
  amount_total: number | string;
  currency: string;
  line_items: { name: string; quantity: number; unit_amount: number | string; amount_total: number | string }[];
  url: string;
  success_url: string | null;
  cancel_url: string | null;
  customer: string | null;
  payment: string | null;
  expires_at: string;
  completed_at: string | null;
  created: string;
};

// The public checkout endpoints the page calls.
export const ZStartAttemptRequest = z.strictObject({
  /** The attempt the page is on: the same number twice (a double click) finds the same payment. */
  attempt: z.number().int().min(1).max(1000),
  method: z.enum(["card", "bank_debit", "settle_wallet"]).default("card"),
});
export type TStartAttemptRequest = z.output<typeof ZStartAttemptRequest>;

export const ZSyncAttemptRequest = z.strictObject({
  attempt: z.number().int().min(1).max(1000),
});
