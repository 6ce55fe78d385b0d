// POST /api/v1/payments: insert the payment (initiated) in its own committed transaction BEFORE the PSP
// is called, assess risk, move to pending, then create+confirm the PaymentIntent under an idempotency key
// derived from the payment id. A resumed request (same client key) finds the row and drives it on; so
// does the recovery job. Card declines store the failed payment and answer 402 card_declined.
import { randomBytes } from "node:crypto";
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { assessPaymentRisk, recordPaymentAttempt } from "@/lib/fraud";
import { newId } from "@/lib/ids";
import { findAccount } from "@/lib/ledger";
import { sqlPool } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { callPsp } from "@/lib/psp/psp-gateway";
import { applyPaymentIntent, PI_EXPAND } from "./apply-payment-intent";
import { toPaymentDto } from "./payment-dto";
import type { TCreatePaymentRequest, TPaymentDto } from "./payment.types";
import { postWalletCapture } from "./postings";
import { nextReceiptNumber } from "./receipt-number";
import { transitionPayment, type PaymentRow } from "./transition-payment";

export type CreatePaymentInput = {
  merchantId: string;
  idempotencyKey: string;
  actor: Actor;
  request: TCreatePaymentRequest;
};

/** The key Settle sends to the PSP for a payment's create call: the same for every retry and recovery. */
export function pspCreateKey(paymentId: string): string {
  return `v1:payment:${paymentId}:create`;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === "P2002" || /Unique constraint/i.test(String((error as Error)?.message));
}

function paymentMethodTypeOf(paymentMethod: string): string {
  if (paymentMethod.startsWith("acct_")) return "settle_wallet";
  if (/^pm_(usBankAccount|sepaDebit)/.test(paymentMethod)) return "bank_debit";
  return "card";
}

async function findByIdempotencyKey(merchantId: string, idempotencyKey: string): Promise<PaymentRow | null> {
  return db().payment.findUnique({ where: { merchantId_idempotencyKey: { merchantId, idempotencyKey } } });
}

async function assertWalletUsable(merchantId: string, accountId: string, currency: string): Promise<void> {
  const account = await findAccount(sqlPool(), { merchantId, accountId });
  if (!account || account.purpose !== "customer_wallet") {
    throw new AppError("resource_missing", `No such wallet account: '${accountId}'`, { param: "payment_method" });
  }
  if (account.currency !== currency) {
    throw new AppError("currency_mismatch", `Wallet '${accountId}' holds ${account.currency}; this payment is in ${currency}.`, { param: "currency" });
  }
}

export async function createPayment(input: CreatePaymentInput): Promise<TPaymentDto> {
  const { merchantId, request } = input;
  const existing = await findByIdempotencyKey(merchantId, input.idempotencyKey);
  if (existing) return drivePayment(existing, input.actor);

  const paymentMethodType = paymentMethodTypeOf(request.payment_method);
  if (paymentMethodType === "settle_wallet") {
    if (request.capture_method === "manual") {
      throw new AppError("parameter_invalid", "Wallet payments are captured at once; use capture_method automatic.", { param: "capture_method" });
    }
    await assertWalletUsable(merchantId, request.payment_method, request.currency);
  }

  let payment: PaymentRow;
  try {
    payment = await db().$transaction(async (tx) => {
      const receiptNumber = await nextReceiptNumber(tx, merchantId);
      return tx.payment.create({
        data: {
          id: newId("payment"),
          merchantId,
          customerId: request.customer ?? null,
          amount: request.amount,
          currency: request.currency,
          captureMethod: request.capture_method,
          paymentMethodType,
          paymentMethod: request.payment_method,
          description: request.description ?? null,
          statementDescriptor: request.statement_descriptor ?? null,
          metadata: request.metadata ?? {},
          idempotencyKey: input.idempotencyKey,
          receiptNumber,
          receiptToken: randomBytes(24).toString("base64url"),
        },
      });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await findByIdempotencyKey(merchantId, input.idempotencyKey);
    if (!raced) throw error;
    payment = raced;
  }
  return drivePayment(payment, input.actor);
}

function declinedError(payment: PaymentRow): AppError {
  if (payment.failureCode === "insufficient_funds" && payment.paymentMethodType === "settle_wallet") {
    return new AppError("insufficient_funds", `Payment ${payment.id} failed: the wallet has insufficient funds.`, { param: "payment_method" });
  }
  if (payment.failureCode === "rate_limited") {
    return new AppError("rate_limited", `Payment ${payment.id} was refused: too many attempts. ${payment.failureMessage ?? ""}`.trim());
  }
  return new AppError("card_declined", `Payment ${payment.id} failed: ${payment.failureMessage ?? "the card was declined."}`, {
    declineCode: payment.declineCode ?? payment.failureCode ?? undefined,
  });
}

/** Runs the risk check for an initiated payment; returns the payment moved to pending, review or failed. */
async function assessAndRelease(payment: PaymentRow, actor: Actor): Promise<PaymentRow> {
  const assessment = await assessPaymentRisk({
    merchantId: payment.merchantId,
    amountMinor: payment.amount,
    currency: payment.currency,
    customerId: payment.customerId ?? undefined,
    paymentMethodType: payment.paymentMethodType,
    occurredAt: payment.createdAt,
    paymentId: payment.id,
  });
  const risk = { riskScore: assessment.score, riskOutcome: assessment.outcome, riskReasons: assessment.reasons };
  const base = { merchantId: payment.merchantId, paymentId: payment.id, from: ["initiated"] as const, actor };
  return db().$transaction(async (tx) => {
    if (assessment.outcome === "review") {
      return (await transitionPayment(tx, { ...base, to: "review", reason: "risk:review", patch: risk })).payment;
    }
    if (assessment.outcome === "block") {
      const code = assessment.blockCode ?? "card_declined";
      return (
        await transitionPayment(tx, {
          ...base, to: "failed", reason: "risk:block",
          patch: { ...risk, failureCode: code, failureMessage: code === "rate_limited" ? "Too many payment attempts; try again later." : "The payment was blocked as too risky." },
        })
      ).payment;
    }
    return (await transitionPayment(tx, { ...base, to: "pending", reason: "risk:allow", patch: risk })).payment;
  });
}

function recordAttempt(payment: PaymentRow): void {
  if (!["authorized", "captured", "settled", "failed"].includes(payment.status)) return;
  recordPaymentAttempt({
    merchantId: payment.merchantId, paymentId: payment.id, amountMinor: payment.amount, currency: payment.currency,
    customerId: payment.customerId ?? undefined, paymentMethodType: payment.paymentMethodType, occurredAt: payment.createdAt,
    succeeded: payment.status !== "failed",
  }).catch((error) => logger.warn({ err: error, paymentId: payment.id }, "could not record the payment attempt"));
}

/** The PaymentIntent parameters, derived only from the stored row so every re-drive sends the same request. */
function paymentIntentParams(payment: PaymentRow): Stripe.PaymentIntentCreateParams {
  return {
    amount: Number(payment.amount),
    currency: payment.currency.toLowerCase(),
    confirm: true,
    payment_method: payment.paymentMethod,
    capture_method: payment.captureMethod === "manual" ? "manual" : "automatic",
    automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    metadata: { settle_payment_id: payment.id, settle_merchant_id: payment.merchantId },
    ...(payment.description ? { description: payment.description } : {}),
    ...(payment.statementDescriptor ? { statement_descriptor_suffix: payment.statementDescriptor } : {}),
    expand: PI_EXPAND,
  };
}

/** Calls the PSP for a pending payment and applies the answer. Ambiguous answers leave it pending. */
export async function submitToPsp(payment: PaymentRow, actor: Actor): Promise<PaymentRow> {
  const outcome = await callPsp("payment_intents.create", (stripe) =>
    stripe.paymentIntents.create(paymentIntentParams(payment), { idempotencyKey: pspCreateKey(payment.id) }),
  );
  if (outcome.kind === "ok") return (await applyPaymentIntent(payment.id, outcome.value, actor)).payment;
  if (outcome.kind === "card_error") {
    const pi = outcome.error.payment_intent;
    if (pi) return (await applyPaymentIntent(payment.id, pi, actor)).payment;
    return payment; // a card error without the PaymentIntent: the recovery job will read the truth
  }
  if (outcome.kind === "invalid") {
    // The PSP refused the request itself (an unknown payment method, an amount it does not accept):
    // nothing was created there, so the payment fails with the PSP's code.
    const error = outcome.error;
    const failed = await db().$transaction(async (tx) =>
      transitionPayment(tx, {
        merchantId: payment.merchantId, paymentId: payment.id, from: ["pending"], to: "failed", actor, reason: "psp:invalid_request",
        patch: { failureCode: error.code ?? "psp_invalid_request", failureMessage: error.message.slice(0, 500) },
      }),
    );
    throw new AppError("parameter_invalid", `Payment ${failed.payment.id} failed: the PSP refused it (${error.message})`, {
      param: error.param === "payment_method" || !error.param ? "payment_method" : error.param,
    });
  }
  logger.warn({ paymentId: payment.id, err: outcome.error }, "PSP answer ambiguous: payment left pending for recovery");
  return db().payment.findUniqueOrThrow({ where: { id: payment.id } });
}

async function captureFromWallet(payment: PaymentRow, actor: Actor): Promise<PaymentRow> {
  try {
    return await db().$transaction(async (tx) => {
      let current = payment;
      for (const [from, to] of [["initiated", "pending"], ["pending", "authorized"], ["authorized", "captured"], ["captured", "settled"]] as const) {
        if (current.status !== from) continue;
        const patch = to === "captured" ? { amountCaptured: payment.amount, feeAmount: 0n, paymentMethodDetails: { type: "settle_wallet", brand: null, last4: null, wallet: payment.paymentMethod } } : undefined;
        current = (await transitionPayment(tx, { merchantId: payment.merchantId, paymentId: payment.id, from: [from], to, actor, reason: "wallet", patch })).payment;
        if (to === "captured") await postWalletCapture(tx, payment, payment.paymentMethod, payment.amount);
      }
      return current;
    });
  } catch (error) {
    if (!(error instanceof AppError) || !["insufficient_funds", "account_inactive", "currency_mismatch"].includes(error.code)) throw error;
    return db().$transaction(async (tx) =>
      (
        await transitionPayment(tx, {
          merchantId: payment.merchantId, paymentId: payment.id, from: ["initiated", "pending"], to: "failed", actor, reason: "wallet",
          patch: { failureCode: error.code, failureMessage: error.message.slice(0, 500) },
        })
      ).payment,
    );
  }
}

/**
 * Moves a payment as far as it can go now: risk check (initiated), PSP call (pending, no PaymentIntent
 * yet), or nothing (any later status). Safe to run again at any point: the PSP key is derived from the id.
 */
export async function drivePayment(start: PaymentRow, actor: Actor): Promise<TPaymentDto> {
  let payment = start;
  if (payment.status === "initiated" && payment.paymentMethodType !== "settle_wallet") payment = await assessAndRelease(payment, actor);
  if (payment.paymentMethodType === "settle_wallet" && ["initiated", "pending"].includes(payment.status)) {
    payment = await captureFromWallet(payment, actor);
  } else if (payment.status === "pending" && !payment.pspPaymentIntentId) {
    payment = await submitToPsp(payment, actor);
  }
  recordAttempt(payment);
  if (payment.status === "failed") throw declinedError(payment);
  const pspState = await db().paymentPspState.findUnique({ where: { paymentId: payment.id }, select: { nextAction: true } });
  return toPaymentDto(payment, pspState);
}
