// A customer presses Pay on /checkout/<id>: the attempt's payment (one per attempt, keyed
// "checkout:<session>:<attempt>") and a PaymentIntent created WITHOUT confirm, whose client_secret goes
// to the browser; Stripe.js then confirms it with the card details straight at the PSP. The same attempt
// twice (a double click, a retried request) finds the same payment and the same PaymentIntent (the PSP key
// derives from the payment id), so it can only be charged once. A declined attempt is followed by a new
// one. Wallet payments need no browser step: the payments engineer's createPayment does all of it.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { PI_EXPAND } from "@/lib/payments/apply-payment-intent";
import {
  createPayment, customerEmailForRisk, drivePayment, insertPreparedPayment, preparePayment, submitToPsp, takeReceiptNumber, type PaymentRiskContext,
} from "@/lib/payments/create-payment";
import type { PaymentRow } from "@/lib/payments/transition-payment";
import { callPsp } from "@/lib/psp/psp-gateway";
import { effectiveStatus, storedLineItems, type CheckoutSessionRow } from "./checkout-session-dto";
import type { TStartAttemptRequest } from "./checkout-session.types";

export const CHECKOUT_ACTOR: Actor = { type: "system", id: "checkout" };

export type CheckoutAttemptDto = {
  attempt: number;
  payment: string;
  /** What the page does next: confirm in the browser, wait, show success, or offer a retry. */
  next: "confirm" | "processing" | "succeeded" | "declined" | "review";
  client_secret: string | null;
  payment_method_types: string[];
  message: string | null;
  /** Set once paid: the customer's receipt (/receipts/<token>). */
  receipt_url: string | null;
};

/** The client's key for one attempt's payment: stable, so a repeated request resumes the same payment. */
export function attemptKey(sessionId: string, attempt: number): string {
  return `checkout:${sessionId}:${attempt}`;
}

const RETRYABLE = new Set(["failed", "canceled"]);

/** Payment metadata for an attempt; the basket as `line_items` (what the receipt page reads) when it fits Stripe's 500-character value limit. */
function attemptMetadata(session: CheckoutSessionRow, attempt: number): Record<string, string> {
  const items = storedLineItems(session).map((item) => ({ name: item.name, quantity: item.quantity, amount: item.unit_amount }));
  const lineItems = JSON.stringify(items);
  return { checkout_session: session.id, checkout_attempt: String(attempt), ...(lineItems.length <= 500 ? { line_items: lineItems } : {}) };
}

export async function getOpenSessionOrThrow(sessionId: string): Promise<CheckoutSessionRow> {
  const session = await db().checkoutSession.findUnique({ where: { id: sessionId } });
  if (!session) throw new AppError("resource_missing", `No such checkout session: '${sessionId}'`, { param: "id" });
  const status = effectiveStatus(session);
  if (status === "expired") {
    await db().checkoutSession.updateMany({ where: { id: sessionId, status: "open" }, data: { status: "expired" } });
    throw new AppError("invalid_state_transition", "This checkout has expired. Ask the merchant for a new payment link.");
  }
  return session;
}

/** The human message for a failed attempt: the PSP's decline, phrased for a customer. */
export function declineMessage(payment: Pick<PaymentRow, "failureCode" | "declineCode" | "failureMessage">): string {
  const code = payment.declineCode ?? payment.failureCode ?? "";
  const messages: Record<string, string> = {
    insufficient_funds: "Your card has insufficient funds. Try another card.",
    expired_card: "Your card has expired. Check the expiry date or use another card.",
    incorrect_cvc: "The security code is incorrect. Check it and try again.",
    processing_error: "The card could not be processed. Try again in a moment.",
    authentication_required: "Your bank needs you to confirm this payment. Try again and complete the check.",
    payment_intent_authentication_failure: "The bank's security check was not completed. Try again or use another card.",
    rate_limited: "Too many attempts. Wait a few minutes and try again.",
    fraudulent: "Your card was declined. Try another card or contact your bank.",
  };
  return messages[code] ?? "Your card was declined. Try another card or contact your bank.";
}

async function insertAttemptPayment(session: CheckoutSessionRow, attempt: number, method: "card" | "bank_debit", riskContext: PaymentRiskContext): Promise<PaymentRow> {
  // The payments module's first step, as for every payment: risk assessed (reads) before the transaction;
  // the row, the assessment and the move to pending/review/failed commit together with the attempt.
  const prepared = await preparePayment({
    merchantId: session.merchantId,
    idempotencyKey: attemptKey(session.id, attempt),
    customerId: session.customerId,
    amount: session.amount,
    currency: session.currency,
    captureMethod: "automatic",
    paymentMethodType: method,
    // Not known until the customer confirms at the PSP; set from the PaymentIntent on sync.
    paymentMethod: "",
    description: `Checkout ${session.id}`,
    statementDescriptor: null,
    metadata: attemptMetadata(session, attempt),
    // The card is entered at the PSP after this step, so only the shopper's IP and email are known here.
    riskContext,
  });
  const receiptNumber = await takeReceiptNumber(session.merchantId);
  return db().$transaction(async (tx) => {
    // Lock the session: two attempts racing for the same number end with one payment.
    const [locked] = await tx.$queryRaw<{ attempt: number; payment_id: string | null }[]>`
      select attempt, payment_id from checkout_sessions where id = ${session.id} for update`;
    if (!locked) throw new AppError("resource_missing", `No such checkout session: '${session.id}'`);
    if (locked.attempt >= attempt && locked.payment_id) {
      return tx.payment.findUniqueOrThrow({ where: { id: locked.payment_id } });
    }
    const payment = await insertPreparedPayment(tx, prepared, receiptNumber, CHECKOUT_ACTOR);
    await tx.checkoutSession.update({ where: { id: session.id }, data: { attempt, paymentId: payment.id } });
    return payment;
  });
}

/** The PaymentIntent without confirm (payments' own path for a payment without a payment method). */
async function releaseToPsp(payment: PaymentRow, riskContext: PaymentRiskContext): Promise<{ payment: PaymentRow; pi: Stripe.PaymentIntent | null }> {
  let current = payment;
  if (current.status === "initiated") {
    // A payment written before risk and release were one transaction: drive it through the same steps.
    await drivePayment(current, CHECKOUT_ACTOR, riskContext).catch((error) => {
      if (!(error instanceof AppError) || !["card_declined", "rate_limited", "parameter_invalid"].includes(error.code)) throw error;
    });
    current = await db().payment.findUniqueOrThrow({ where: { id: current.id } });
  }
  if (current.status !== "pending") return { payment: current, pi: null };
  if (current.pspPaymentIntentId) {
    const id = current.pspPaymentIntentId;
    const outcome = await callPsp("payment_intents.retrieve", (stripe) => stripe.paymentIntents.retrieve(id, { expand: PI_EXPAND }));
    if (outcome.kind !== "ok") throw new AppError("psp_unavailable", "The payment service did not answer. Try again in a moment.");
    return { payment: current, pi: outcome.value };
  }
  const submitted = await submitToPsp(current, CHECKOUT_ACTOR);
  // Nothing to confirm yet; the recovery job finds the PaymentIntent (metadata) if one was made.
  if (!submitted.pi) throw new AppError("psp_unavailable", "The payment service did not answer. Try again in a moment.");
  return { payment: submitted.payment, pi: submitted.pi };
}

export function attemptDto(attempt: number, payment: PaymentRow, pi: Stripe.PaymentIntent | null): CheckoutAttemptDto {
  const base = { attempt, payment: payment.id, client_secret: null, payment_method_types: pi?.payment_method_types ?? [], message: null, receipt_url: null };
  if (["captured", "settled", "authorized"].includes(payment.status)) return { ...base, next: "succeeded", receipt_url: `/receipts/${payment.receiptToken}` };
  if (RETRYABLE.has(payment.status)) return { ...base, next: "declined", message: declineMessage(payment) };
  if (payment.status === "review") return { ...base, next: "review", message: "Your payment is being reviewed. You will hear from the merchant shortly." };
  if (pi && ["requires_payment_method", "requires_confirmation", "requires_action"].includes(pi.status)) {
    return { ...base, next: "confirm", client_secret: pi.client_secret };
  }
  return { ...base, next: "processing", message: "Your payment is processing. This page updates when it completes." };
}

/** `ipAddress`: the shopper's, i.e. the address of the browser that called the attempts route. */
export async function startCheckoutAttempt(input: { sessionId: string; ipAddress?: string | null } & TStartAttemptRequest): Promise<CheckoutAttemptDto> {
  const session = await getOpenSessionOrThrow(input.sessionId);
  if (session.status === "complete") {
    const paid = await db().payment.findUniqueOrThrow({ where: { id: session.paymentId! } });
    return attemptDto(session.attempt, paid, null);
  }
  const current = session.paymentId ? await db().payment.findUnique({ where: { id: session.paymentId } }) : null;

  // The page is behind (another tab moved on) or ahead by more than one: tell it where things stand.
  if (input.attempt < session.attempt || input.attempt > session.attempt + 1) {
    throw new AppError("invalid_state_transition", `This checkout is on attempt ${session.attempt}; reload the page.`, { param: "attempt" });
  }
  // A new attempt only after the previous one failed; otherwise the page continues the current one.
  let attempt = input.attempt;
  if (attempt === session.attempt + 1 && current && !RETRYABLE.has(current.status)) attempt = session.attempt;
  // The shopper's facts for the risk step (createPayment reads the email itself for wallet payments).
  const assessesHere = input.method !== "settle_wallet" && (!current || attempt !== session.attempt || current.status === "initiated");
  const riskContext: PaymentRiskContext = {
    ipAddress: input.ipAddress ?? null,
    email: assessesHere ? await customerEmailForRisk(session.merchantId, session.customerId) : null,
  };

  if (input.method === "settle_wallet") {
    if (!session.walletAccountId) throw new AppError("parameter_invalid", "This checkout does not offer wallet payment.", { param: "method" });
    if (attempt === session.attempt && current) return attemptDto(attempt, current, null);
    try {
      const dto = await createPayment({
        merchantId: session.merchantId,
        idempotencyKey: attemptKey(session.id, attempt),
        actor: CHECKOUT_ACTOR,
        request: {
          amount: session.amount, currency: session.currency as never, payment_method: session.walletAccountId, capture_method: "automatic",
          customer: session.customerId ?? undefined, customer_ip: riskContext.ipAddress ?? undefined, description: `Checkout ${session.id}`, metadata: attemptMetadata(session, attempt),
        },
      });
      await db().checkoutSession.updateMany({ where: { id: session.id, attempt: { lt: attempt } }, data: { attempt, paymentId: dto.id } });
    } catch (error) {
      if (!(error instanceof AppError) || !["insufficient_funds", "card_declined", "rate_limited"].includes(error.code)) throw error;
      const failed = await db().payment.findFirst({ where: { merchantId: session.merchantId, idempotencyKey: attemptKey(session.id, attempt) } });
      if (!failed) throw error;
      await db().checkoutSession.updateMany({ where: { id: session.id, attempt: { lt: attempt } }, data: { attempt, paymentId: failed.id } });
      return { ...attemptDto(attempt, failed, null), message: error.code === "insufficient_funds" ? "Your Settle wallet does not hold enough for this payment." : declineMessage(failed) };
    }
    const settled = await finishIfPaid(session.id);
    return attemptDto(attempt, settled, null);
  }

  const payment = attempt === session.attempt && current ? current : await insertAttemptPayment(session, attempt, input.method, riskContext);
  const { payment: released, pi } = await releaseToPsp(payment, riskContext);
  return attemptDto(attempt, released, pi);
}

/** Marks the session complete once its current payment has gone through; returns that payment. */
export async function finishIfPaid(sessionId: string): Promise<PaymentRow> {
  const session = await db().checkoutSession.findUniqueOrThrow({ where: { id: sessionId } });
  const payment = await db().payment.findUniqueOrThrow({ where: { id: session.paymentId! } });
  if (["authorized", "captured", "settled"].includes(payment.status)) {
    await db().checkoutSession.updateMany({ where: { id: sessionId, status: "open" }, data: { status: "complete", completedAt: new Date() } });
  }
  return payment;
}
