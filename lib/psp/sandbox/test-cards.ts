// Stripe's documented test cards, pm_card_* tokens and bank-debit test accounts, with the behaviour each triggers.

export type CardBrand = "visa" | "mastercard" | "amex" | "discover" | "diners" | "jcb" | "unionpay";

export interface CardDecline {
  code: string;
  declineCode?: string;
  message: string;
  param?: string;
  outcomeType: "issuer_declined" | "blocked" | "invalid";
  networkStatus: "declined_by_network" | "not_sent_to_network";
  riskLevel?: string;
}

export interface CardBehaviour {
  number: string;
  brand: CardBrand;
  funding: "credit" | "debit" | "prepaid";
  country: string;
  decline?: CardDecline;
  /** Declines only when charged, not when attached. */
  declineOnChargeOnly?: boolean;
  threeDs?: "required" | "required_on_setup" | "optional" | "not_supported";
  /** Decline that happens after successful 3DS authentication. */
  declineAfterAuth?: CardDecline;
  dispute?: { reason: string; caseType: "chargeback" | "inquiry" };
  refund?: "pending_then_succeeded" | "fails_later";
  bypassPending?: boolean;
  riskLevel?: "normal" | "elevated" | "highest";
  cvcCheck?: "pass" | "fail";
  postalCheck?: "pass" | "fail" | "unavailable";
  line1Check?: "pass" | "fail" | "unavailable";
  earlyFraudWarning?: boolean;
}

const DECLINES = {
  generic: { code: "card_declined", declineCode: "generic_decline", message: "Your card was declined.", outcomeType: "issuer_declined", networkStatus: "declined_by_network" },
  insufficient: { code: "card_declined", declineCode: "insufficient_funds", message: "Your card has insufficient funds.", outcomeType: "issuer_declined", networkStatus: "declined_by_network" },
  lost: { code: "card_declined", declineCode: "lost_card", message: "Your card was declined.", outcomeType: "issuer_declined", networkStatus: "declined_by_network" },
  stolen: { code: "card_declined", declineCode: "stolen_card", message: "Your card was declined.", outcomeType: "issuer_declined", networkStatus: "declined_by_network" },
  expired: { code: "expired_card", declineCode: "expired_card", message: "Your card has expired.", param: "exp_month", outcomeType: "issuer_declined", networkStatus: "declined_by_network" },
  cvc: { code: "incorrect_cvc", declineCode: "incorrect_cvc", message: "Your card's security code is incorrect.", param: "cvc", outcomeType: "issuer_declined", networkStatus: "declined_by_network" },
  processing: { code: "processing_error", declineCode: "processing_error", message: "An error occurred while processing your card. Try again in a little bit.", outcomeType: "issuer_declined", networkStatus: "declined_by_network" },
  velocity: { code: "card_declined", declineCode: "card_velocity_exceeded", message: "Your card was declined for making repeated attempts too frequently or exceeding its amount limit.", outcomeType: "issuer_declined", networkStatus: "declined_by_network" },
  fraudulent: { code: "card_declined", declineCode: "fraudulent", message: "Your card was declined.", outcomeType: "blocked", networkStatus: "not_sent_to_network", riskLevel: "highest" },
} satisfies Record<string, CardDecline>;

const base = (number: string, brand: CardBrand, extra: Partial<CardBehaviour> = {}): CardBehaviour => ({
  number,
  brand,
  funding: "credit",
  country: "US",
  ...extra,
});

export const CARDS: CardBehaviour[] = [
  base("4242424242424242", "visa", { threeDs: "optional" }),
  base("4000056655665556", "visa", { funding: "debit" }),
  base("5555555555554444", "mastercard"),
  base("2223003122003222", "mastercard"),
  base("5200828282828210", "mastercard", { funding: "debit" }),
  base("5105105105105100", "mastercard", { funding: "prepaid" }),
  base("378282246310005", "amex", { threeDs: "not_supported" }),
  base("371449635398431", "amex"),
  base("6011111111111117", "discover"),
  base("6011000990139424", "discover"),
  base("3056930009020004", "diners"),
  base("36227206271667", "diners"),
  base("3566002020360505", "jcb", { country: "JP" }),
  base("6200000000000005", "unionpay", { country: "CN" }),
  base("4000001240000000", "visa", { country: "CA" }),
  base("4000008260000000", "visa", { country: "GB" }),
  base("4000002500000003", "visa", { country: "FR" }),
  base("4000002760000016", "visa", { country: "DE" }),
  base("4000003920000003", "visa", { country: "JP" }),
  base("4000000000000002", "visa", { decline: DECLINES.generic }),
  base("4000000000009995", "visa", { decline: DECLINES.insufficient }),
  base("4000000000009987", "visa", { decline: DECLINES.lost }),
  base("4000000000009979", "visa", { decline: DECLINES.stolen }),
  base("4000000000000069", "visa", { decline: DECLINES.expired }),
  base("4000000000000127", "visa", { decline: DECLINES.cvc, cvcCheck: "fail" }),
  base("4000000000000119", "visa", { decline: DECLINES.processing }),
  base("4000000000006975", "visa", { decline: DECLINES.velocity }),
  base("4000000000000341", "visa", { decline: DECLINES.generic, declineOnChargeOnly: true }),
  base("4100000000000019", "visa", { decline: DECLINES.fraudulent, riskLevel: "highest" }),
  base("4000000000004954", "visa", { riskLevel: "highest" }),
  base("4000000000009235", "visa", { riskLevel: "elevated" }),
  base("4000000000000101", "visa", { cvcCheck: "fail" }),
  base("4000000000000036", "visa", { postalCheck: "fail" }),
  base("4000000000000028", "visa", { line1Check: "fail" }),
  base("4000000000000010", "visa", { line1Check: "fail", postalCheck: "fail" }),
  base("4000000000000044", "visa", { line1Check: "unavailable", postalCheck: "unavailable" }),
  base("4000000000005423", "visa", { earlyFraudWarning: true }),
  base("4000002760003184", "visa", { country: "DE", threeDs: "required" }),
  base("4000002500003155", "visa", { country: "FR", threeDs: "required_on_setup" }),
  base("4000003800000446", "visa", { country: "IN", threeDs: "optional" }),
  base("4000008260003178", "visa", { country: "GB", threeDs: "required", declineAfterAuth: DECLINES.insufficient }),
  base("4000000000003220", "visa", { threeDs: "required" }),
  base("4000000000003063", "visa", { threeDs: "required" }),
  base("4000008400001629", "visa", { threeDs: "required", declineAfterAuth: DECLINES.generic }),
  base("4000000000003055", "visa", { threeDs: "optional" }),
  base("4000000000000259", "visa", { dispute: { reason: "fraudulent", caseType: "chargeback" } }),
  base("4000000000002685", "visa", { dispute: { reason: "product_not_received", caseType: "chargeback" } }),
  base("4000000000001976", "visa", { dispute: { reason: "fraudulent", caseType: "inquiry" } }),
  base("4000000000007726", "visa", { refund: "pending_then_succeeded" }),
  base("4000000000005126", "visa", { refund: "fails_later" }),
  base("4000000000000077", "visa", { bypassPending: true }),
  base("4000003720000278", "visa", { country: "GB", bypassPending: true }),
  base("4000000000000093", "visa"),
];

const BY_NUMBER = new Map(CARDS.map((card) => [card.number, card]));

export const CARD_TOKENS: Record<string, string> = {
  visa: "4242424242424242",
  visa_debit: "4000056655665556",
  mastercard: "5555555555554444",
  mastercard_debit: "5200828282828210",
  mastercard_prepaid: "5105105105105100",
  amex: "378282246310005",
  discover: "6011111111111117",
  diners: "3056930009020004",
  jcb: "3566002020360505",
  unionpay: "6200000000000005",
  us: "4242424242424242",
  ca: "4000001240000000",
  gb: "4000008260000000",
  fr: "4000002500000003",
  de: "4000002760000016",
  jp: "4000003920000003",
  chargeDeclined: "4000000000000002",
  visa_chargeDeclined: "4000000000000002",
  chargeDeclinedInsufficientFunds: "4000000000009995",
  visa_chargeDeclinedInsufficientFunds: "4000000000009995",
  chargeDeclinedLostCard: "4000000000009987",
  visa_chargeDeclinedLostCard: "4000000000009987",
  chargeDeclinedStolenCard: "4000000000009979",
  visa_chargeDeclinedStolenCard: "4000000000009979",
  chargeDeclinedExpiredCard: "4000000000000069",
  chargeDeclinedIncorrectCvc: "4000000000000127",
  chargeDeclinedProcessingError: "4000000000000119",
  visa_chargeDeclinedVelocityLimitExceeded: "4000000000006975",
  chargeCustomerFail: "4000000000000341",
  radarBlock: "4100000000000019",
  chargeDeclinedFraudulent: "4100000000000019",
  riskLevelHighest: "4000000000004954",
  riskLevelElevated: "4000000000009235",
  cvcCheckFail: "4000000000000101",
  avsZipFail: "4000000000000036",
  avsLine1Fail: "4000000000000028",
  avsFail: "4000000000000010",
  avsUnchecked: "4000000000000044",
  createIssuerFraudRecord: "4000000000005423",
  authenticationRequired: "4000002760003184",
  authenticationRequiredOnSetup: "4000002500003155",
  authenticationRequiredSetupForOffSession: "4000003800000446",
  authenticationRequiredChargeDeclinedInsufficientFunds: "4000008260003178",
  threeDSecure2Required: "4000000000003220",
  threeDSecureRequired: "4000000000003063",
  threeDSecureRequiredChargeDeclined: "4000008400001629",
  threeDSecureOptional: "4000000000003055",
  createDispute: "4000000000000259",
  createDisputeProductNotReceived: "4000000000002685",
  createDisputeInquiry: "4000000000001976",
  pendingRefund: "4000000000007726",
  refundFail: "4000000000005126",
  bypassPending: "4000000000000077",
  bypassPendingInternational: "4000003720000278",
};

export type BankDebitOutcome = "succeeds" | "fails" | "stays_processing";

export interface BankBehaviour {
  type: "us_bank_account" | "sepa_debit";
  accountNumber: string;
  outcome: BankDebitOutcome;
  failureCode?: string;
  failureMessage?: string;
  dispute?: boolean;
}

const bank = (type: BankBehaviour["type"], accountNumber: string, outcome: BankDebitOutcome, failureCode?: string, extra: Partial<BankBehaviour> = {}): BankBehaviour => ({
  type,
  accountNumber,
  outcome,
  failureCode,
  failureMessage: failureCode ? `The bank debit failed: ${failureCode.replace(/_/g, " ")}.` : undefined,
  ...extra,
});

export const BANK_ACCOUNTS: Record<string, BankBehaviour> = {
  usBankAccount_success: bank("us_bank_account", "000123456789", "succeeds"),
  usBankAccount_accountClosed: bank("us_bank_account", "000111111113", "fails", "account_closed"),
  usBankAccount_noAccount: bank("us_bank_account", "000111111116", "fails", "no_account"),
  usBankAccount_insufficientFunds: bank("us_bank_account", "000222222227", "fails", "insufficient_funds"),
  usBankAccount_debitNotAuthorized: bank("us_bank_account", "000333333335", "fails", "debit_not_authorized"),
  usBankAccount_dispute: bank("us_bank_account", "000555555559", "succeeds", undefined, { dispute: true }),
  usBankAccount_processing: bank("us_bank_account", "000000000009", "stays_processing"),
  sepaDebit_success_at: bank("sepa_debit", "AT611904300234573201", "succeeds"),
  sepaDebit_successDelayed_at: bank("sepa_debit", "AT321904300235473204", "succeeds"),
  sepaDebit_failed_at: bank("sepa_debit", "AT861904300235473202", "fails", "insufficient_funds"),
  sepaDebit_failedDelayed_at: bank("sepa_debit", "AT051904300235473205", "fails", "insufficient_funds"),
};

const BANK_BY_NUMBER = new Map(Object.values(BANK_ACCOUNTS).map((b) => [b.accountNumber, b]));

export function findBankByAccountNumber(accountNumber: string): BankBehaviour | undefined {
  return BANK_BY_NUMBER.get(accountNumber.replace(/\s+/g, ""));
}

export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function brandForNumber(number: string): CardBrand {
  if (/^4/.test(number)) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(number)) return "mastercard";
  if (/^3[47]/.test(number)) return "amex";
  if (/^(6011|65|64[4-9])/.test(number)) return "discover";
  if (/^(36|30[0-5]|38)/.test(number)) return "diners";
  if (/^35/.test(number)) return "jcb";
  if (/^62/.test(number)) return "unionpay";
  return "visa";
}

/** Behaviour for a raw card number; unknown valid numbers behave like a plain successful card. */
export function findCardByNumber(number: string): CardBehaviour {
  return BY_NUMBER.get(number) ?? base(number, brandForNumber(number));
}

/** Resolves `pm_card_visa`, `tok_visa`, `pm_card_visa_applePay` style tokens. */
export function resolveCardToken(token: string): { card: CardBehaviour; wallet: "apple_pay" | "google_pay" | null } | null {
  const match = /^(?:pm_card_|tok_)(.+)$/.exec(token);
  if (!match) return null;
  let name = match[1];
  let wallet: "apple_pay" | "google_pay" | null = null;
  const walletMatch = /^(.*)_(applePay|googlePay)$/.exec(name);
  if (walletMatch) {
    name = walletMatch[1];
    wallet = walletMatch[2] === "applePay" ? "apple_pay" : "google_pay";
  }
  const number = CARD_TOKENS[name];
  if (!number) return null;
  return { card: findCardByNumber(number), wallet };
}

export function resolveBankToken(token: string): BankBehaviour | null {
  const match = /^pm_(.+)$/.exec(token);
  return match ? (BANK_ACCOUNTS[match[1]] ?? null) : null;
}
