// Entry point for typescript-json-schema: the stripe@23 resource types the sandbox renders.
import type { PaymentIntent } from "../../../../node_modules/stripe/cjs/resources/PaymentIntents.js";
import type { PaymentMethod } from "../../../../node_modules/stripe/cjs/resources/PaymentMethods.js";
import type { Charge } from "../../../../node_modules/stripe/cjs/resources/Charges.js";
import type { Refund } from "../../../../node_modules/stripe/cjs/resources/Refunds.js";
import type { Dispute } from "../../../../node_modules/stripe/cjs/resources/Disputes.js";
import type { BalanceTransaction } from "../../../../node_modules/stripe/cjs/resources/BalanceTransactions.js";
import type { Balance } from "../../../../node_modules/stripe/cjs/resources/Balance.js";
import type { Payout } from "../../../../node_modules/stripe/cjs/resources/Payouts.js";
import type { Event } from "../../../../node_modules/stripe/cjs/resources/Events.js";
import type { WebhookEndpoint } from "../../../../node_modules/stripe/cjs/resources/WebhookEndpoints.js";
import type { Customer } from "../../../../node_modules/stripe/cjs/resources/Customers.js";

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
