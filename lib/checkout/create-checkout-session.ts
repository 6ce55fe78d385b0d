// POST /api/v1/checkout/sessions: a hosted checkout page for an amount or a basket of line items. Runs in
// the API wrapper's transaction (idempotency "atomic"): the key, the session, the customer record (when an
// email is given: encrypted in customers, never stored in the session) and the audit row commit together.
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { createCustomer } from "@/lib/customers/create-customer";
import { findCustomersByEmail } from "@/lib/customers/get-customer";
import type { Tx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { AMOUNT_MINOR_MAX } from "@/lib/money";
import { toCheckoutSessionDto } from "./checkout-session-dto";
import type { StoredLineItem, TCheckoutSessionDto, TCreateCheckoutSessionRequest } from "./checkout-session.types";

export type CreateCheckoutSessionInput = {
  merchantId: string;
  actor: Actor;
  idempotencyKey: string | null;
  request: TCreateCheckoutSessionRequest;
  now?: Date;
};

/** The basket as stored, and its total; refuses a total beyond what a bigint column holds. */
export function priceLineItems(request: Pick<TCreateCheckoutSessionRequest, "line_items" | "amount">): { items: StoredLineItem[]; totalMinor: bigint } {
  const items: StoredLineItem[] = request.line_items
    ? request.line_items.map((item) => ({ name: item.name, quantity: item.quantity, unit_amount: item.unit_amount.toString() }))
    : [{ name: "Payment", quantity: 1, unit_amount: request.amount!.toString() }];
  let totalMinor = 0n;
  for (const item of items) {
    totalMinor += BigInt(item.unit_amount) * BigInt(item.quantity);
    if (totalMinor > AMOUNT_MINOR_MAX) throw new AppError("amount_too_large", "The line items add up to more than the largest amount Settle can hold.", { param: "line_items" });
  }
  return { items, totalMinor };
}

export async function createCheckoutSession(tx: Tx, input: CreateCheckoutSessionInput): Promise<TCheckoutSessionDto> {
  const { merchantId, request } = input;
  const now = input.now ?? new Date();
  const { items, totalMinor } = priceLineItems(request);

  if (request.wallet_account) {
    const wallet = await tx.ledgerAccount.findFirst({
      where: { id: request.wallet_account, merchantId, purpose: "customer_wallet" },
      select: { currency: true, status: true },
    });
    if (!wallet) throw new AppError("resource_missing", `No such wallet account: '${request.wallet_account}'`, { param: "wallet_account" });
    if (wallet.currency.trim() !== request.currency) {
      throw new AppError("currency_mismatch", `Wallet '${request.wallet_account}' holds ${wallet.currency}; this session is in ${request.currency}.`, { param: "wallet_account" });
    }
  }

  let customerId: string | null = null;
  if (request.customer_email) {
    const [known] = await findCustomersByEmail(merchantId, request.customer_email, { client: tx, limit: 1 });
    customerId = known?.id ?? (await createCustomer(tx, { merchantId, actor: input.actor, email: request.customer_email })).id;
  }

  const row = await tx.checkoutSession.create({
    data: {
      id: newId("checkoutSession", now.getTime()),
      merchantId,
      amount: totalMinor,
      currency: request.currency,
      lineItems: items,
      successUrl: request.success_url ?? null,
      cancelUrl: request.cancel_url ?? null,
      customerId,
      walletAccountId: request.wallet_account ?? null,
      idempotencyKey: input.idempotencyKey ?? newId("request"),
      expiresAt: new Date(now.getTime() + request.expires_in_minutes * 60_000),
      createdAt: now,
    },
  });
  await recordAuditEvent(
    { merchantId, actor: input.actor, action: "checkout_session.created", target: { type: "checkout_session", id: row.id }, data: { line_items: items.length, currency: row.currency } },
    tx,
  );
  return toCheckoutSessionDto(row, now);
}
