// One handler per PSP event type. Types not listed here are acknowledged and recorded as ignored.
import type { PspEventHandler } from "../sync-objects";
import { handlePaymentIntentCreated } from "./payment-intent-created";
import { handlePaymentIntentSucceeded } from "./payment-intent-succeeded";
import { handlePaymentIntentPaymentFailed } from "./payment-intent-payment-failed";
import { handlePaymentIntentCanceled } from "./payment-intent-canceled";
import { handlePaymentIntentAmountCapturableUpdated } from "./payment-intent-amount-capturable-updated";
import { handlePaymentIntentProcessing } from "./payment-intent-processing";
import { handlePaymentIntentRequiresAction } from "./payment-intent-requires-action";
import { handleChargeSucceeded } from "./charge-succeeded";
import { handleChargeFailed } from "./charge-failed";
import { handleChargeCaptured } from "./charge-captured";
import { handleChargePending } from "./charge-pending";
import { handleChargeUpdated } from "./charge-updated";
import { handleChargeExpired } from "./charge-expired";
import { handleChargeRefunded } from "./charge-refunded";
import { handleRefundCreated } from "./refund-created";
import { handleRefundUpdated } from "./refund-updated";
import { handleRefundFailed } from "./refund-failed";
import { handleChargeRefundUpdated } from "./charge-refund-updated";
import { handleChargeDisputeCreated } from "./charge-dispute-created";
import { handleChargeDisputeUpdated } from "./charge-dispute-updated";
import { handleChargeDisputeClosed } from "./charge-dispute-closed";
import { handleChargeDisputeFundsWithdrawn } from "./charge-dispute-funds-withdrawn";
import { handleChargeDisputeFundsReinstated } from "./charge-dispute-funds-reinstated";
import { handleBalanceAvailable } from "./balance-available";
import { handlePayoutPaid } from "./payout-paid";

export const PSP_EVENT_HANDLERS: Readonly<Record<string, PspEventHandler>> = {
  "payment_intent.created": handlePaymentIntentCreated,
  "payment_intent.succeeded": handlePaymentIntentSucceeded,
  "payment_intent.payment_failed": handlePaymentIntentPaymentFailed,
  "payment_intent.canceled": handlePaymentIntentCanceled,
  "payment_intent.amount_capturable_updated": handlePaymentIntentAmountCapturableUpdated,
  "payment_intent.processing": handlePaymentIntentProcessing,
  "payment_intent.requires_action": handlePaymentIntentRequiresAction,
  "charge.succeeded": handleChargeSucceeded,
  "charge.failed": handleChargeFailed,
  "charge.captured": handleChargeCaptured,
  "charge.pending": handleChargePending,
  "charge.updated": handleChargeUpdated,
  "charge.expired": handleChargeExpired,
  "charge.refunded": handleChargeRefunded,
  "refund.created": handleRefundCreated,
  "refund.updated": handleRefundUpdated,
  "refund.failed": handleRefundFailed,
  "charge.refund.updated": handleChargeRefundUpdated,
  "charge.dispute.created": handleChargeDisputeCreated,
  "charge.dispute.updated": handleChargeDisputeUpdated,
  "charge.dispute.closed": handleChargeDisputeClosed,
  "charge.dispute.funds_withdrawn": handleChargeDisputeFundsWithdrawn,
  "charge.dispute.funds_reinstated": handleChargeDisputeFundsReinstated,
  "balance.available": handleBalanceAvailable,
  "payout.paid": handlePayoutPaid,
};
