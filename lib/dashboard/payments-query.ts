// The payments table's filters, sort and cursor, shared by the page, its JSON endpoint and the CSV export.
// Every combination stays on an index: ids sort by time, so a date range is an id range on
// (merchant_id, id) or (merchant_id, status, id); the cursor is the last row's (id) or (amount, id).
import { z } from "zod";
import { findCustomerByEmail } from "@/lib/customers/get-customer";
import type { Prisma } from "@/lib/generated/prisma/client";
import { isCurrencyCode, parseMoney } from "@/lib/money";
import { PAYMENT_STATUSES } from "@/lib/payments/state-machine";
import { idLowerBound, idUpperBound } from "./id-bounds";

export const PAYMENTS_PAGE_SIZE = 25;
export const PAYMENT_SORTS = ["newest", "oldest", "amount_desc", "amount_asc"] as const;
export const PAYMENT_METHOD_TYPES = ["card", "bank_debit", "settle_wallet", "wallet"] as const;

const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined);

/** From URL search params: anything malformed is dropped rather than failing the page. */
export const ZPaymentsFilter = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  status: z.enum(PAYMENT_STATUSES).optional().catch(undefined),
  currency: z.string().trim().toUpperCase().refine(isCurrencyCode).optional().catch(undefined),
  method: z.enum(PAYMENT_METHOD_TYPES).optional().catch(undefined),
  from: ZDate,
  to: ZDate,
  sort: z.enum(PAYMENT_SORTS).default("newest").catch("newest"),
  cursor: z.string().max(300).optional().catch(undefined),
});
export type PaymentsFilter = z.output<typeof ZPaymentsFilter>;

export function parsePaymentsFilter(params: Record<string, string | string[] | undefined> | URLSearchParams): PaymentsFilter {
  const flat: Record<string, string> = {};
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== "") flat[key] = first;
  }
  return ZPaymentsFilter.parse(flat);
}

type Cursor = { id: string; amount?: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeCursor(value: string | undefined): Cursor | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Cursor;
    if (typeof parsed.id !== "string" || !/^pay_[0-9a-z]{26}$/.test(parsed.id)) return null;
    if (parsed.amount !== undefined && !/^\d{1,19}$/.test(parsed.amount)) return null;
    return parsed;
  } catch {
    return null;
  }
}

/** What the search box matched: a payment id, a customer (by email, through the blind index), last4 or an amount. */
export type SearchMatch = { kind: "id" | "email" | "last4" | "amount" | "text" | "none"; detail?: string };

/**
 * The Prisma where clause for a merchant's filtered payments. Async because an email search asks the
 * customers module (blind index), never a plaintext column.
 */
export async function paymentsWhere(merchantId: string, filter: PaymentsFilter): Promise<{ where: Prisma.PaymentWhereInput; match: SearchMatch }> {
  const and: Prisma.PaymentWhereInput[] = [{ merchantId }];
  let match: SearchMatch = { kind: "none" };
  if (filter.status) and.push({ status: filter.status });
  if (filter.currency) and.push({ currency: filter.currency });
  if (filter.method) and.push({ paymentMethodType: filter.method });
  if (filter.from) {
    const from = new Date(`${filter.from}T00:00:00.000Z`);
    and.push({ id: { gte: idLowerBound("payment", new Date(from.getTime() - 60_000)) } }, { createdAt: { gte: from } });
  }
  if (filter.to) {
    const to = new Date(`${filter.to}T23:59:59.999Z`);
    and.push({ id: { lte: idUpperBound("payment", new Date(to.getTime() + 60_000)) } }, { createdAt: { lte: to } });
  }
  const q = filter.q?.trim();
  if (q) {
    if (/^pay_[0-9a-z]{1,26}$/i.test(q)) {
      match = { kind: "id" };
      and.push(q.length === 30 ? { id: q.toLowerCase() } : { id: { startsWith: q.toLowerCase() } });
    } else if (q.includes("@")) {
      const customer = await findCustomerByEmail(merchantId, q);
      match = { kind: "email", detail: customer?.id };
      and.push({ customerId: customer?.id ?? "__none__" });
    } else if (/^\d{4}$/.test(q)) {
      match = { kind: "last4" };
      and.push({ paymentMethodDetails: { path: ["last4"], equals: q } });
    } else if (/^\d+([.,]\d{1,3})?$/.test(q)) {
      // An amount as people type it ("12.50"): in the chosen currency's units, else two decimals.
      const currency = filter.currency ?? "USD";
      try {
        const minor = parseMoney(q.replace(",", "."), currency);
        match = { kind: "amount", detail: minor.toString() };
        and.push({ amount: minor });
      } catch {
        match = { kind: "none" };
        and.push({ id: "__none__" });
      }
    } else if (/^(cus|pi|ch)_/.test(q)) {
      match = { kind: "text" };
      and.push(q.startsWith("cus_") ? { customerId: q } : q.startsWith("pi_") ? { pspPaymentIntentId: q } : { pspChargeId: q });
    } else {
      match = { kind: "none" };
      and.push({ id: "__none__" });
    }
  }
  return { where: { AND: and }, match };
}

/** Order and keyset condition for a sort and cursor. */
export function paymentsOrder(filter: PaymentsFilter): { orderBy: Prisma.PaymentOrderByWithRelationInput[]; after: Prisma.PaymentWhereInput | null } {
  const cursor = decodeCursor(filter.cursor);
  switch (filter.sort) {
    case "oldest":
      return { orderBy: [{ id: "asc" }], after: cursor ? { id: { gt: cursor.id } } : null };
    case "amount_desc":
    case "amount_asc": {
      const direction = filter.sort === "amount_desc" ? "desc" : "asc";
      const op = direction === "desc" ? "lt" : "gt";
      const after = cursor?.amount !== undefined
        ? { OR: [{ amount: { [op]: BigInt(cursor.amount) } }, { amount: BigInt(cursor.amount), id: { [op]: cursor.id } }] }
        : null;
      return { orderBy: [{ amount: direction }, { id: direction }], after };
    }
    default:
      return { orderBy: [{ id: "desc" }], after: cursor ? { id: { lt: cursor.id } } : null };
  }
}

export function cursorFor(filter: PaymentsFilter, row: { id: string; amount: bigint }): string {
  return encodeCursor(filter.sort.startsWith("amount") ? { id: row.id, amount: row.amount.toString() } : { id: row.id });
}
