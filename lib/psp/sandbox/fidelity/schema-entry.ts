// Entry point for typescript-json-schema: the stripe@23 resource types the sandbox renders.
import type { PaymentIntent } from "stripe/cjs/resources/PaymentIntents.js";
import type { PaymentMethod } from "stripe/cjs/resources/PaymentMethods.js";
import type { Charge } from "stripe/cjs/resources/Charges.js";
import type { Refund } from "stripe/cjs/resources/Refunds.js";
import type { Dispute } from "stripe/cjs/resources/Disputes.js";
import type { BalanceTransaction } from "stripe/cjs/resources/BalanceTransactions.js";
import type { Balance } from "stripe/cjs/resources/Balance.js";
import type { Payout } from "stripe/cjs/resources/Payouts.js";
import type { Event } from "stripe/cjs/resources/Events.js";
import type { WebhookEndpoint } from "stripe/cjs/resources/WebhookEndpoints.js";
import type { Customer } from "stripe/cjs/resources/Customers.js";

export interface SandboxResources {
  payment_intent: PaymentIntent;
  payment_method: PaymentMethod;
  charge: Charge;
  refund: Refund;
  dispute: Dispute;
  balance_transaction: BalanceTransaction;
  balance: Balance;
  payout: Payout;
  event: Event;
  webhook_endpoint: WebhookEndpoint;
  customer: Customer;
}
