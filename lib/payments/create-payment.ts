// POST /api/v1/payments in two transactions around the PSP call: (1) the risk assessment (read first),
// the payment row and its move to pending (or review/failed), committed BEFORE the PSP is called; (2) the
// PSP's answer applied (transitions, capture posting, audit, merchant events). The PaymentIntent create
// carries an idempotency key derived from the payment id, so a resumed request (same client key) or the
// recovery job re-drives it without a second charge. Card declines store the failed payment and answer
// 402 card_declined. Wallet payments (acct_…) take the same risk step, then are captured from the wallet.
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { getCustomerOrThrow } from "@/lib/customers/get-customer";
import { db, type Tx } from "@/lib/db/client";
import { recordPaymentAttempt } from "@/lib/fraud";
import { evaluatePaymentRisk } from "@/lib/fraud/assess-payment-risk";
import { getRiskSettings } from "@/lib/fraud/risk-settings";
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

/** The columns of a new payment that the caller decides; ids, receipt and status are the module's. */
export type NewPaymentFields = {
  merchantId: string;
  idempotencyKey: string;
  customerId: string | null;
  amount: bigint;
  currency: string;
  captureMethod: "automatic" | "manual";
  paymentMethodType: string;
  /** A PSP PaymentMethod or a wallet account; "" when the customer confirms at the PSP (checkout). */
  paymentMethod: string;
  description: string | null;
  statementDescriptor: string | null;
  metadata: Record<string, string>;
  /** What the risk step knows beyond the payment row (the shopper's IP and email, the card). Not stored on the payment. */
  riskContext?: PaymentRiskContext;
};

/**
 * The facts the fraud rules need that the payment row does not carry: velocity per email/IP/card, the
 * merchant's block lists, the geolocation rules. Email and IP reach the attempt history only as keyed
 * pseudonyms (lib/fraud record-payment-attempt). `cardCountry` (the issuer's country) is kept for when
 * the engine takes it; lib/fraud's input has no field for it yet, so it is not used.
 */
export type PaymentRiskContext = {
  ipAddress?: string | null;
  email?: string | null;
  cardFingerprint?: string | null;
  cardCountry?: string | null;
  billingCountry?: string | null;
};

/** The context's facts in the engine's input shape: absent, not null; an IP that does not parse is dropped. */
function riskFactsOf(context: PaymentRiskContext | undefined) {
  if (!context) return {};
  const ipAddress = context.ipAddress && isIP(context.ipAddress.trim()) ? context.ipAddress.trim() : undefined;
  const billingCountry = context.billingCountry && /^[A-Za-z]{2}$/.test(context.billingCountry) ? context.billingCountry : undefined;
  return {
    ...(ipAddress ? { ipAddress } : {}),
    ...(context.email ? { email: context.email.slice(0, 320) } : {}),
    ...(context.cardFingerprint ? { cardFingerprint: context.cardFingerprint.slice(0, 200) } : {}),
    ...(billingCountry ? { billingCountry } : {}),
  };
}

/** The email of a payment's customer for the risk step: none for an unknown id or an erased customer. */
export async function customerEmailForRisk(merchantId: string, customerId: string | null | undefined): Promise<string | null> {
  if (!customerId) return null;
  try {
    return (await getCustomerOrThrow(merchantId, customerId)).email;
  } catch (error) {
    if (error instanceof AppError && error.code === "resource_missing") return null;
    throw error;
  }
}

/**
 * The card's fingerprint, issuing country and billing country, read from the PSP's PaymentMethod before
 * the risk step. One attempt, no retries: when the PSP does not answer (or does not know the method) the
 * payment is assessed without them and the create call reports the PSP's own answer as before.
 */
async function cardFactsOf(paymentMethod: string): Promise<Pick<PaymentRiskContext, "cardFingerprint" | "cardCountry" | "billingCountry">> {
  const outcome = await callPsp("payment_methods.retrieve", (stripe) => stripe.paymentMethods.retrieve(paymentMethod), 1);
  if (outcome.kind !== "ok") {
    logger.warn({ paymentMethod, outcome: outcome.kind }, "payment method not readable at the PSP: risk assessed without the card's facts");
    return {};
  }
  const pm = outcome.value;
  return { cardFingerprint: pm.card?.fingerprint ?? null, cardCountry: pm.card?.country ?? null, billingCountry: pm.billing_details?.address?.country ?? null };
}

/** A payment whose risk has been assessed (reads only) and whose row is not written yet. */
export type PreparedPayment = { fields: NewPaymentFields; id: string; createdAt: Date; risk: EvaluatedRisk };
type EvaluatedRisk = Awaited<ReturnType<typeof evaluatePaymentRisk>>;

function riskInputOf(
  payment: { merchantId: string; amount: bigint; currency: string; customerId: string | null; paymentMethodType: string },
  id: string,
  occurredAt: Date,
  context?: PaymentRiskContext,
) {
  return {
    merchantId: payment.merchantId, amountMinor: payment.amount, currency: payment.currency, customerId: payment.customerId ?? undefined,
    paymentMethodType: payment.paymentMethodType, occurredAt, paymentId: id, ...riskFactsOf(context),
  };
}

/**
 * Step one of every payment (API, checkout, wallet): the risk/AML assessment, reading only, before any
 * transaction is open. Its result is written by insertPreparedPayment with the payment row.
 */
export async function preparePayment(fields: NewPaymentFields): Promise<PreparedPayment> {
  const id = newId("payment");
  const createdAt = new Date();
  return { fields, id, createdAt, risk: await evaluatePaymentRisk(riskInputOf(fields, id, createdAt, fields.riskContext)) };
}

/** Writes the assessment and moves an initiated payment where it decides: pending, review or failed. */
async function releaseWithRisk(tx: Tx, payment: PaymentRow, risk: EvaluatedRisk, actor: Actor): Promise<PaymentRow> {
  const stored = await risk.store(tx);
  const patch = { riskScore: stored.score, riskOutcome: stored.outcome, riskReasons: stored.reasons };
  const base = { merchantId: payment.merchantId, paymentId: payment.id, from: ["initiated"] as const, actor };
  if (stored.outcome === "review") return (await transitionPayment(tx, { ...base, to: "review", reason: "risk:review", patch })).payment;
  if (stored.outcome === "block") {
    const code = stored.blockCode ?? "card_declined";
    const failureMessage = code === "rate_limited" ? "Too many payment attempts; try again later." : "The payment was blocked as too risky.";
    return (await transitionPayment(tx, { ...base, to: "failed", reason: "risk:block", patch: { ...patch, failureCode: code, failureMessage } })).payment;
  }
  return (await transitionPayment(tx, { ...base, to: "pending", reason: "risk:allow", patch })).payment;
}

/**
 * In the caller's transaction: the payment row (initiated), its risk assessment and the transition the
 * assessment decides (history, audit, merchant event). Committed before the PSP is called — that commit
 * is what makes the PSP call exactly-once (its key derives from the payment id; recovery finds the row).
 * The receipt number is taken beforehand in its own statement, so the per-merchant counter row is not
 * held locked for the rest of the transaction (a rolled-back insert leaves a gap in the numbers).
 */
export async function insertPreparedPayment(tx: Tx, prepared: PreparedPayment, receiptNumber: string, actor: Actor): Promise<PaymentRow> {
  const { fields } = prepared;
  const payment = await tx.payment.create({
    data: {
      id: prepared.id,
      merchantId: fields.merchantId,
      customerId: fields.customerId,
      amount: fields.amount,
      currency: fields.currency,
      captureMethod: fields.captureMethod,
      paymentMethodType: fields.paymentMethodType,
      paymentMethod: fields.paymentMethod,
      description: fields.description,
      statementDescriptor: fields.statementDescriptor,
      metadata: fields.metadata,
      idempotencyKey: fields.idempotencyKey,
      receiptNumber,
      receiptToken: randomBytes(24).toString("base64url"),
      createdAt: prepared.createdAt,
    },
  });
  return releaseWithRisk(tx, payment, prepared.risk, actor);
}

/** The next receipt number of a merchant, in a statement of its own (see insertPreparedPayment). */
export async function takeReceiptNumber(merchantId: string): Promise<string> {
  return nextReceiptNumber(db(), merchantId);
}

export async function createPayment(input: CreatePaymentInput): Promise<TPaymentDto> {
  const { merchantId, request } = input;
  const paymentMethodType = paymentMethodTypeOf(request.payment_method);
  if (paymentMethodType === "settle_wallet") {
    if (request.capture_method === "manual") {
      throw new AppError("parameter_invalid", "Wallet payments are captured at once; use capture_method automatic.", { param: "capture_method" });
    }
    await assertWalletUsable(merchantId, request.payment_method, request.currency);
  }

  // The shopper's facts for the risk step: the IP the merchant saw, the customer's email, the card's facts
  // from the PSP (PaymentMethods only; a wallet account has none).
  const [email, cardFacts] = await Promise.all([
    customerEmailForRisk(merchantId, request.customer),
    paymentMethodType === "card" && request.payment_method.startsWith("pm_") ? cardFactsOf(request.payment_method) : Promise.resolve({}),
  ]);
  const riskContext: PaymentRiskContext = { ipAddress: request.customer_ip ?? null, email, ...cardFacts };

  // No look-up first: a repeated key is rare (the API's idempotency layer replays finished requests), and
  // the unique (merchant, idempotency key) index catches it, after which the stored payment is driven on.
  const prepared = await preparePayment({
    merchantId,
    idempotencyKey: input.idempotencyKey,
    customerId: request.customer ?? null,
    amount: request.amount,
    currency: request.currency,
    captureMethod: request.capture_method,
    paymentMethodType,
    paymentMethod: request.payment_method,
    description: request.description ?? null,
    statementDescriptor: request.statement_descriptor ?? null,
    metadata: request.metadata ?? {},
    riskContext,
  });
  let payment: PaymentRow;
  try {
    const receiptNumber = await takeReceiptNumber(merchantId);
    payment = await db().$transaction((tx) => insertPreparedPayment(tx, prepared, receiptNumber, input.actor));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await findByIdempotencyKey(merchantId, input.idempotencyKey);
    if (!raced) throw error;
    payment = raced;
  }
  return drivePayment(payment, input.actor, riskContext, rateLimitWaitOf(prepared.risk));
}

/** How long a rate-limited assessment says to wait (the velocity block's remaining time), else undefined. */
function rateLimitWaitOf(risk: EvaluatedRisk): number | undefined {
  return risk.outcome === "block" && risk.blockCode === "rate_limited" ? risk.retryAfterSeconds : undefined;
}

/**
 * The API error of a failed payment. A rate-limited one carries Retry-After: the wait the assessment
 * computed (until the velocity block lifts) or, without one at hand (a resumed request whose payment was
 * refused earlier), the merchant's configured velocity block length.
 */
async function declinedError(payment: PaymentRow, retryAfterSeconds?: number): Promise<AppError> {
  if (payment.failureCode === "insufficient_funds" && payment.paymentMethodType === "settle_wallet") {
    return new AppError("insufficient_funds", `Payment ${payment.id} failed: the wallet has insufficient funds.`, { param: "payment_method" });
  }
  if (payment.failureCode === "rate_limited") {
    const wait = retryAfterSeconds ?? (await getRiskSettings(payment.merchantId)).rules.velocity.blockSeconds;
    return new AppError("rate_limited", `Payment ${payment.id} was refused: too many attempts. ${payment.failureMessage ?? ""}`.trim(), { retryAfterSeconds: wait });
  }
  return new AppError("card_declined", `Payment ${payment.id} failed: ${payment.failureMessage ?? "the card was declined."}`, {
    declineCode: payment.declineCode ?? payment.failureCode ?? undefined,
  });
}

/** An initiated payment (written before risk and release were one transaction): assess it and release it. */
async function releaseInitiated(payment: PaymentRow, actor: Actor, context?: PaymentRiskContext): Promise<{ payment: PaymentRow; retryAfterSeconds?: number }> {
  const risk = await evaluatePaymentRisk(riskInputOf(payment, payment.id, payment.createdAt, context));
  const released = await db().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ status: string }[]>`select status from payments where id = ${payment.id} for update`;
    if (locked?.status !== "initiated") return tx.payment.findUniqueOrThrow({ where: { id: payment.id } });
    return releaseWithRisk(tx, payment, risk, actor);
  });
  return { payment: released, retryAfterSeconds: rateLimitWaitOf(risk) };
}

/**
 * Reports a payment's outcome to the fraud history (velocity, geolocation, the model's history features),
 * once per payment, as soon as it has one: authorized/captured/settled or failed. Later calls are no-ops.
 */
export async function recordPaymentOutcome(payment: PaymentRow, context?: PaymentRiskContext): Promise<void> {
  if (!["authorized", "captured", "settled", "failed"].includes(payment.status)) return;
  await recordPaymentAttempt({
    ...riskInputOf(payment, payment.id, payment.createdAt, context),
    succeeded: payment.status !== "failed",
  });
}

function recordAttempt(payment: PaymentRow, context?: PaymentRiskContext): void {
  recordPaymentOutcome(payment, context).catch((error) => logger.warn({ err: error, paymentId: payment.id }, "could not record the payment attempt"));
}

/**
 * The PaymentIntent parameters, derived only from the stored row so every re-drive sends the same request.
 * A payment without a payment method (checkout) is created unconfirmed: the customer confirms it at the PSP.
 */
function paymentIntentParams(payment: PaymentRow): Stripe.PaymentIntentCreateParams {
  return {
    amount: Number(payment.amount),
    currency: payment.currency.toLowerCase(),
    ...(payment.paymentMethod ? { confirm: true, payment_method: payment.paymentMethod } : {}),
    capture_method: payment.captureMethod === "manual" ? "manual" : "automatic",
    automatic_payment_methods: { enabled: true, allow_redirects: "never" },
    metadata: { settle_payment_id: payment.id, settle_merchant_id: payment.merchantId },
    ...(payment.description ? { description: payment.description } : {}),
    ...(payment.statementDescriptor ? { statement_descriptor_suffix: payment.statementDescriptor } : {}),
    expand: PI_EXPAND,
  };
}

export type SubmitResult = {
  payment: PaymentRow;
  /** The PaymentIntent as the PSP answered, or null when the answer was ambiguous (payment left pending). */
  pi: Stripe.PaymentIntent | null;
  /** The PSP's next action (pending payments that need the customer), when known. */
  nextAction?: unknown;
};

/**
 * Creates (and, with a payment method, confirms) the PaymentIntent of a pending payment and applies the
 * answer in one transaction. Ambiguous answers leave it pending for the recovery job; a card decline
 * stores the failed payment. Also the checkout's path (no payment method: the browser confirms).
 */
export async function submitToPsp(payment: PaymentRow, actor: Actor): Promise<SubmitResult> {
  const outcome = await callPsp("payment_intents.create", (stripe) =>
    stripe.paymentIntents.create(paymentIntentParams(payment), { idempotencyKey: pspCreateKey(payment.id) }),
  );
  if (outcome.kind === "ok") {
    const applied = await applyPaymentIntent(payment.id, outcome.value, actor);
    return { payment: applied.payment, pi: outcome.value, nextAction: applied.nextAction };
  }
  if (outcome.kind === "card_error") {
    const pi = outcome.error.payment_intent;
    if (pi) {
      const applied = await applyPaymentIntent(payment.id, pi, actor);
      return { payment: applied.payment, pi, nextAction: applied.nextAction };
    }
    return { payment, pi: null }; // a card error without the PaymentIntent: the recovery job will read the truth
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
  return { payment: await db().payment.findUniqueOrThrow({ where: { id: payment.id } }), pi: null };
}

/** A released (pending) wallet payment: debit the wallet (floor: insufficient_funds → failed) and settle at once. */
async function captureFromWallet(payment: PaymentRow, actor: Actor): Promise<PaymentRow> {
  try {
    return await db().$transaction(async (tx) => {
      let current = payment;
      for (const [from, to] of [["pending", "authorized"], ["authorized", "captured"], ["captured", "settled"]] as const) {
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
          merchantId: payment.merchantId, paymentId: payment.id, from: ["pending"], to: "failed", actor, reason: "wallet",
          patch: { failureCode: error.code, failureMessage: error.message.slice(0, 500) },
        })
      ).payment,
    );
  }
}

/**
 * Moves a payment as far as it can go now: risk check (initiated), wallet capture or PSP call (pending,
 * no PaymentIntent yet), or nothing (any later status). Safe to run again at any point: the PSP key is
 * derived from the id, every step is a guarded transition.
 */
export async function drivePayment(start: PaymentRow, actor: Actor, context?: PaymentRiskContext, retryAfterSeconds?: number): Promise<TPaymentDto> {
  let payment = start;
  let nextAction: unknown = undefined;
  if (payment.status === "initiated") ({ payment, retryAfterSeconds } = await releaseInitiated(payment, actor, context));
  if (payment.paymentMethodType === "settle_wallet") {
    if (payment.status === "pending") payment = await captureFromWallet(payment, actor);
  } else if (payment.status === "pending" && !payment.pspPaymentIntentId) {
    ({ payment, nextAction } = await submitToPsp(payment, actor));
  }
  recordAttempt(payment, context);
  if (payment.status === "failed") throw await declinedError(payment, retryAfterSeconds);
  if (nextAction === undefined && payment.status === "pending") {
    nextAction = (await db().paymentPspState.findUnique({ where: { paymentId: payment.id }, select: { nextAction: true } }))?.nextAction;
  }
  return toPaymentDto(payment, { nextAction: nextAction ?? null });
}
