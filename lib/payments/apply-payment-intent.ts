// Brings a payment up to what the PSP says about its PaymentIntent. The one reconciler used by the create
// call, capture/cancel, webhooks and the recovery job: forward-only (a state already passed is a no-op),
// every step a guarded transition, the capture and its ledger posting in one database transaction.
import type Stripe from "stripe";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db, type Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log/logger";
import { callPsp } from "@/lib/psp/psp-gateway";
import type { TPaymentMethodDetails } from "./payment.types";
import { enqueueReceiptEmail } from "@/lib/receipts/send-receipt-email";
import { postCapture } from "./postings";
import type { PaymentStatus } from "./state-machine";
import { transitionPayment, type PaymentRow } from "./transition-payment";

export const PI_EXPAND = ["latest_charge.balance_transaction"];

/** Card/bank details we keep: type, brand, last4, wallet — nothing more. */
export function paymentMethodDetailsOf(charge: Stripe.Charge | null): TPaymentMethodDetails | null {
  const details = charge?.payment_method_details;
  if (!details) return null;
  if (details.type === "card" && details.card) {
    return { type: "card", brand: details.card.brand ?? null, last4: details.card.last4 ?? null, wallet: details.card.wallet?.type ?? null };
  }
  const bank = (details as unknown as Record<string, { last4?: string | null; bank_name?: string | null } | undefined>)[details.type];
  return { type: details.type, brand: bank?.bank_name ?? null, last4: bank?.last4 ?? null, wallet: null };
}

/** The PSP fee in the charge currency: the balance transaction's fee, scaled back when the PSP converted. */
export function feeInChargeCurrency(grossMinor: bigint, bt: Stripe.BalanceTransaction): bigint {
  if (bt.amount === 0) return 0n;
  const fee = BigInt(bt.fee);
  if (bt.exchange_rate === null || bt.exchange_rate === undefined) return fee;
  // Proportional: fee/amount in settlement units equals fee'/gross in charge units; rounded half up.
  const numerator = grossMinor * fee * 2n;
  const denominator = BigInt(bt.amount) * 2n;
  return (numerator + denominator / 2n) / denominator;
}

/** The charge with its balance transaction, fetched when the PaymentIntent did not carry it expanded. */
export async function resolveLatestCharge(pi: Stripe.PaymentIntent): Promise<Stripe.Charge | null> {
  const latest = pi.latest_charge;
  if (!latest) return null;
  if (typeof latest !== "string" && (latest.balance_transaction === null || typeof latest.balance_transaction === "object")) return latest;
  const id = typeof latest === "string" ? latest : latest.id;
  const outcome = await callPsp("charges.retrieve", (stripe) => stripe.charges.retrieve(id, { expand: ["balance_transaction"] }));
  if (outcome.kind === "ok") return outcome.value;
  return typeof latest === "string" ? null : latest;
}

const FORWARD: PaymentStatus[] = ["initiated", "pending", "authorized", "captured"];

async function lockPayment(tx: Tx, paymentId: string): Promise<PaymentRow> {
  await tx.$queryRaw`select id from payments where id = ${paymentId} for update`;
  return tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
}

/** Steps forward (initiated → pending → authorized → captured) to `target`; no-op when already there or past. */
async function walkTo(tx: Tx, payment: PaymentRow, target: "pending" | "authorized" | "captured", actor: Actor, patch: Prisma.PaymentUpdateManyMutationInput, reason: string) {
  let current = payment;
  let from = FORWARD.indexOf(current.status as PaymentStatus);
  if (current.status === "review") from = 0; // review → pending is the way out of review
  const to = FORWARD.indexOf(target);
  if (from < 0) return { payment: current, reached: false };
  for (let step = from + 1; step <= to; step++) {
    const result = await transitionPayment(tx, {
      merchantId: current.merchantId, paymentId: current.id, from: [current.status as PaymentStatus], to: FORWARD[step]!, actor,
      reason, patch: step === to ? patch : undefined,
    });
    current = result.payment;
  }
  return { payment: current, reached: to > from };
}

export type ApplyResult = {
  payment: PaymentRow;
  pspStatus: string;
  declined: boolean;
  /** What the customer must do next (requires_action), as stored in payment_psp_states; null otherwise. */
  nextAction: unknown;
};

/** Applies the PaymentIntent's current truth to our payment (found by id). `pi` should be fresh from the PSP. */
export async function applyPaymentIntent(paymentId: string, pi: Stripe.PaymentIntent, actor: Actor): Promise<ApplyResult> {
  const charge = await resolveLatestCharge(pi);
  const bt = charge && typeof charge.balance_transaction === "object" ? charge.balance_transaction : null;
  const nextAction = pi.status === "requires_action" ? (pi.next_action as unknown as Prisma.InputJsonValue) : undefined;

  return db().$transaction(
    async (tx) => {
      let payment = await lockPayment(tx, paymentId);
      const details = paymentMethodDetailsOf(charge);
      const common: Prisma.PaymentUpdateManyMutationInput = {
        ...(payment.pspPaymentIntentId ? {} : { pspPaymentIntentId: pi.id }),
        ...(charge ? { pspChargeId: charge.id } : {}),
        ...(details ? { paymentMethodDetails: details } : {}),
      };
      await tx.paymentPspState.upsert({
        where: { paymentId },
        create: {
          paymentId, merchantId: payment.merchantId, pspStatus: pi.status, nextAction: nextAction ?? undefined,
          exchangeRate: bt?.exchange_rate ? String(bt.exchange_rate) : null, settlementCurrency: bt?.currency?.toUpperCase() ?? null,
        },
        update: {
          pspStatus: pi.status, nextAction: nextAction ?? Prisma.DbNull,
          ...(bt ? { exchangeRate: bt.exchange_rate ? String(bt.exchange_rate) : null, settlementCurrency: bt.currency.toUpperCase() } : {}),
        },
      });
      const reason = `psp:${pi.status}`;
      let declined = false;
      switch (pi.status) {
        case "succeeded": {
          const gross = BigInt(pi.amount_received);
          const fee = bt ? feeInChargeCurrency(gross, bt) : null;
          const walked = await walkTo(tx, payment, "captured", actor, { ...common, amountCaptured: gross, feeAmount: fee }, reason);
          payment = walked.payment;
          if (walked.reached) {
            await postCapture(tx, payment, gross, fee ?? 0n);
            // The customer's receipt, queued with the capture (sent by the receipts.send job; once per payment).
            if (payment.customerId) await enqueueReceiptEmail(tx, { merchantId: payment.merchantId, paymentId: payment.id });
          } else if (["failed", "canceled"].includes(payment.status)) {
            logger.error({ paymentId, pi: pi.id, status: payment.status }, "PSP charged a payment Settle had closed: needs a human");
          }
          break;
        }
        case "requires_capture":
          payment = (await walkTo(tx, payment, "authorized", actor, common, reason)).payment;
          break;
        case "processing":
        case "requires_action":
        case "requires_confirmation":
          payment = (await walkTo(tx, payment, "pending", actor, common, reason)).payment;
          break;
        case "requires_payment_method": {
          const error = pi.last_payment_error;
          if (!error) {
            payment = (await walkTo(tx, payment, "pending", actor, common, reason)).payment;
            break;
          }
          declined = true;
          if (["initiated", "pending", "authorized"].includes(payment.status)) {
            if (payment.status === "initiated") payment = (await walkTo(tx, payment, "pending", actor, {}, reason)).payment;
            payment = (
              await transitionPayment(tx, {
                merchantId: payment.merchantId, paymentId, from: ["pending", "authorized"], to: "failed", actor, reason,
                patch: {
                  ...common,
                  failureCode: error.decline_code ?? error.code ?? "payment_failed",
                  failureMessage: error.message ?? "The payment failed.",
                  declineCode: error.decline_code ?? null,
                },
              })
            ).payment;
          }
          break;
        }
        case "canceled":
          if (["initiated", "pending", "authorized"].includes(payment.status)) {
            payment = (
              await transitionPayment(tx, {
                merchantId: payment.merchantId, paymentId, from: ["initiated", "pending", "authorized"], to: "canceled", actor, reason,
                patch: { ...common, failureCode: pi.cancellation_reason === "automatic" ? "authorization_expired" : null },
              })
            ).payment;
          }
          break;
      }
      // The PSP ids and card details go with the transition above; only a payment that did not move (or
      // moved without them) needs them written here.
      if (Object.keys(common).length > 0 && (payment.pspPaymentIntentId === null || (charge && payment.pspChargeId !== charge.id))) {
        payment = await tx.payment.update({ where: { id: paymentId }, data: common as Prisma.PaymentUpdateInput });
      }
      return { payment, pspStatus: pi.status, declined, nextAction: nextAction ?? null };
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}

/** Fetches the PaymentIntent and applies it. Returns null when the PSP could not be reached. */
export async function syncPaymentIntent(paymentId: string, piId: string, actor: Actor): Promise<ApplyResult | null> {
  const outcome = await callPsp("payment_intents.retrieve", (stripe) => stripe.paymentIntents.retrieve(piId, { expand: PI_EXPAND }));
  if (outcome.kind !== "ok") return null;
  return applyPaymentIntent(paymentId, outcome.value, actor);
}
