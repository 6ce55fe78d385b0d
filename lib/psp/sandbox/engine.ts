// The sandbox's domain engine: Stripe objects, their state machines, the ledger and event emission.
import { createHash } from "node:crypto";
import type { SandboxClock } from "./clock.js";
import { convertMinor, exchangeRate, isSupportedCurrency, isThreeDecimal, MAX_AMOUNT, minimumAmount, minorUnitExponent } from "./currencies.js";
import { ApiError, invalidRequest, notFound, paramError, unexpectedState, withDocUrl, type StripeErrorBody } from "./errors.js";
import { newId, randomBase62 } from "./ids.js";
import {
  applyMetadata,
  assertKnown,
  inRange,
  readBoolean,
  readEnum,
  readExpand,
  readInteger,
  readNullableString,
  readObject,
  readRange,
  readString,
  readStringArray,
  type Params,
} from "./params.js";
import { matchesSearch, parseSearchQuery } from "./search.js";
import type { Internal, Job, Store, StripeObject } from "./store.js";
import {
  findBankByAccountNumber,
  findCardByNumber,
  luhnValid,
  resolveBankToken,
  resolveCardToken,
  type BankBehaviour,
  type CardBehaviour,
  type CardDecline,
} from "./test-cards.js";

export const API_VERSION = "2026-10-28.endive";

export interface SandboxConfig {
  baseUrl: string;
  settlementCurrency: string;
  accountCountry: string;
  feePercent: number;
  feeFixedUsdCents: number;
  fxFeePercent: number;
  disputeFeeUsdCents: number;
  refundDisputeFeeOnWin: boolean;
  availableDelayDays: number;
  payoutArrivalSeconds: number;
  payoutSchedule: "daily" | "manual";
  asyncCaptureDelaySeconds: number;
  disputeDelaySeconds: number;
  refundTransitionDelaySeconds: number;
  bankDebitSettleSeconds: number;
  authorizationExpirySeconds: number;
  disputeResponseSeconds: number;
  requireReturnUrl: boolean;
  allowRawCardDataWithSecretKey: boolean;
  webhookRetryScheduleSeconds: number[];
}

export const DEFAULT_CONFIG: Omit<SandboxConfig, "baseUrl"> = {
  settlementCurrency: "usd",
  accountCountry: "US",
  feePercent: 2.9,
  feeFixedUsdCents: 30,
  fxFeePercent: 1,
  disputeFeeUsdCents: 1500,
  refundDisputeFeeOnWin: false,
  availableDelayDays: 2,
  payoutArrivalSeconds: 2 * 86400,
  payoutSchedule: "daily",
  asyncCaptureDelaySeconds: 2,
  disputeDelaySeconds: 30,
  refundTransitionDelaySeconds: 30,
  bankDebitSettleSeconds: 180,
  authorizationExpirySeconds: 7 * 86400,
  disputeResponseSeconds: 7 * 86400,
  requireReturnUrl: true,
  allowRawCardDataWithSecretKey: false,
  webhookRetryScheduleSeconds: [5, 30, 120],
};

export interface RequestContext {
  requestId: string | null;
  idempotencyKey: string | null;
  publishable: boolean;
}

export const SYSTEM: RequestContext = { requestId: null, idempotencyKey: null, publishable: false };

type Obj = StripeObject;

const PI_CONFIRMABLE = ["requires_payment_method", "requires_confirmation", "requires_action"];
const PI_CANCELABLE = ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing"];
const EXPANDABLE: Record<string, string[]> = {
  payment_intent: ["latest_charge", "payment_method", "customer"],
  charge: ["balance_transaction", "payment_intent", "customer", "refunds", "failure_balance_transaction"],
  refund: ["charge", "balance_transaction", "payment_intent", "failure_balance_transaction", "payment_method", "customer"],
  dispute: ["charge", "payment_intent"],
  balance_transaction: ["source"],
  payout: ["balance_transaction", "failure_balance_transaction", "original_payout", "reversed_by"],
  payment_method: ["customer"],
  customer: [],
  event: [],
  webhook_endpoint: [],
};
const EXPAND_MAX_DEPTH = 4;
const LIST_LIMIT_MAX = 100;
const WEBHOOK_ENDPOINTS_MAX = 16;

const emptyAddress = () => ({ city: null, country: null, line1: null, line2: null, postal_code: null, state: null });

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function fingerprint(seed: string): string {
  return createHash("sha256").update(`settle-sandbox:${seed}`).digest("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, 16);
}

function formatMajor(amountMinor: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  return `${(amountMinor / 10 ** exponent).toFixed(exponent)} ${currency}`;
}

/** Shallow diff for `previous_attributes`: old values of changed top-level keys (nested objects diffed one level down). */
function previousAttributes(before: Obj, after: Obj): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
      const nested: Record<string, unknown> = {};
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) nested[k] = a[k] === undefined ? null : a[k];
      }
      out[key] = nested;
    } else out[key] = a === undefined ? null : a;
  }
  return out;
}

export type EventListener = (event: Obj) => void;

export class Engine {
  private listeners: EventListener[] = [];
  /** BTs still pending availability, checked by the availability sweep. */
  private pendingBalanceTransactions = new Set<string>();

  constructor(
    readonly store: Store,
    readonly clock: SandboxClock,
    readonly config: SandboxConfig,
  ) {
    for (const id of store.lists.get("balance_transaction") ?? []) {
      if (store.get(id)?.status === "pending") this.pendingBalanceTransactions.add(id);
    }
    this.ensurePayoutSchedule();
  }

  /** Re-derives caches after the store was wiped. */
  afterReset(): void {
    this.pendingBalanceTransactions.clear();
    this.ensurePayoutSchedule();
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  now(): number {
    return this.clock.now();
  }

  // ---------------------------------------------------------------- events

  emit(type: string, object: Obj, ctx: RequestContext, previous?: Record<string, unknown>): Obj {
    const data: Record<string, unknown> = { object: clone(this.renderPlain(object)) };
    if (previous && Object.keys(previous).length > 0) data.previous_attributes = previous;
    const event: Obj = {
      id: newId("evt"),
      object: "event",
      api_version: API_VERSION,
      created: this.now(),
      data,
      livemode: false,
      pending_webhooks: 0,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      type,
    };
    this.store.insert(event, {});
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Snapshot for an `*.updated` event: call before mutating, then `emitUpdated`. */
  snapshot(object: Obj): Obj {
    return clone(object);
  }

  emitUpdated(type: string, before: Obj, after: Obj, ctx: RequestContext): Obj {
    return this.emit(type, after, ctx, previousAttributes(this.renderPlain(before), this.renderPlain(after)));
  }

  // ---------------------------------------------------------------- rendering

  /** The object as Stripe renders it with no expansion (derived fields filled in). */
  renderPlain(object: Obj): Obj {
    if (object.object === "dispute") {
      return {
        ...object,
        balance_transactions: (object.balance_transactions as string[]).map((id) => this.store.get(id) ?? id),
      };
    }
    return object;
  }

  render(object: Obj, expand: string[] = [], ctx?: RequestContext): Obj {
    let out: Obj = this.renderPlain(object);
    for (const path of expand) out = this.expandPath(out, path.split("."), path, 1);
    if (ctx?.publishable && out.object === "payment_intent") {
      const { metadata: _metadata, ...rest } = out;
      out = rest as Obj;
    }
    return out;
  }

  private expandPath(object: Obj, parts: string[], fullPath: string, depth: number): Obj {
    if (depth > EXPAND_MAX_DEPTH) throw paramError(`You cannot expand more than ${EXPAND_MAX_DEPTH} levels of a property.`, "expand");
    const [field, ...rest] = parts;
    const allowed = EXPANDABLE[object.object] ?? [];
    if (!allowed.includes(field)) {
      throw invalidRequest(`This property cannot be expanded (${field}).`, { param: "expand", stored: false });
    }
    let value: unknown = object[field];
    if (object.object === "charge" && field === "refunds") {
      const refunds = this.filterList("refund", (r) => r.charge === object.id);
      value = { object: "list", data: refunds.map((r) => this.renderPlain(r)), has_more: false, url: `/v1/charges/${object.id}/refunds` };
      if (rest.length > 0 && rest[0] === "data") {
        const list = value as { data: Obj[] };
        list.data = list.data.map((item) => (rest.length > 1 ? this.expandPath(item, rest.slice(1), fullPath, depth + 1) : item));
      }
      return { ...object, refunds: value };
    }
    if (typeof value === "string") {
      const target = this.store.get(value);
      if (target) value = this.renderPlain(target);
    }
    if (value && typeof value === "object" && rest.length > 0) {
      value = this.expandPath(value as Obj, rest, fullPath, depth + 1);
    }
    return { ...object, [field]: value };
  }

  renderList(type: string, items: Obj[], hasMore: boolean, url: string, expand: string[], ctx?: RequestContext) {
    const itemExpand = expand.filter((p) => p.startsWith("data.")).map((p) => p.slice(5));
    const other = expand.filter((p) => !p.startsWith("data."));
    if (other.length > 0) throw invalidRequest(`This property cannot be expanded (${other[0]}).`, { param: "expand", stored: false });
    return { object: "list", data: items.map((item) => this.render(item, itemExpand, ctx)), has_more: hasMore, url };
  }

  // ---------------------------------------------------------------- lists

  filterList(type: string, predicate: (object: Obj) => boolean): Obj[] {
    const ids = this.store.lists.get(type) ?? [];
    const out: Obj[] = [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const object = this.store.get(ids[i]);
      if (object && predicate(object)) out.push(object);
    }
    return out;
  }

  /** Newest-first pagination with starting_after / ending_before cursors. */
  list(type: string, params: Params, url: string, extraKeys: readonly string[], predicate: (object: Obj) => boolean, ctx?: RequestContext) {
    assertKnown(params, ["limit", "starting_after", "ending_before", "created", ...extraKeys]);
    const limit = readInteger(params, "limit") ?? 10;
    if (limit < 1 || limit > LIST_LIMIT_MAX) throw paramError(`Invalid limit: must be between 1 and ${LIST_LIMIT_MAX}`, "limit");
    const startingAfter = readString(params, "starting_after");
    const endingBefore = readString(params, "ending_before");
    if (startingAfter && endingBefore) {
      throw paramError("You may only specify one of these parameters: ending_before, starting_after.", "ending_before", "parameters_exclusive");
    }
    const created = readRange(params, "created");
    const matching = (object: Obj) => inRange(object.created as number, created) && predicate(object);
    const ids = this.store.lists.get(type) ?? [];
    const cursor = startingAfter ?? endingBefore;
    let cursorIndex = -1;
    if (cursor) {
      const x = this.store.internals.get(cursor);
      const cursorObject = this.store.get(cursor);
      if (!x || !cursorObject || cursorObject.object !== type) throw notFound(type.replace(/_/g, " "), cursor, startingAfter ? "starting_after" : "ending_before");
      cursorIndex = this.indexOfSeq(ids, x.seq);
    }
    const page: Obj[] = [];
    let hasMore = false;
    if (endingBefore) {
      // Items newer than the cursor, nearest first, then presented newest-first.
      for (let i = cursorIndex + 1; i < ids.length; i++) {
        const object = this.store.get(ids[i]);
        if (!object || !matching(object)) continue;
        if (page.length === limit) {
          hasMore = true;
          break;
        }
        page.push(object);
      }
      page.reverse();
    } else {
      const start = startingAfter ? cursorIndex - 1 : ids.length - 1;
      for (let i = start; i >= 0; i--) {
        const object = this.store.get(ids[i]);
        if (!object || !matching(object)) continue;
        if (page.length === limit) {
          hasMore = true;
          break;
        }
        page.push(object);
      }
    }
    const expand = readExpand(params);
    return this.renderList(type, page, hasMore, url, expand, ctx);
  }

  private indexOfSeq(ids: string[], seq: number): number {
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const midSeq = this.store.internals.get(ids[mid])?.seq ?? 0;
      if (midSeq === seq) return mid;
      if (midSeq < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  search(type: string, params: Params, url: string, fields: readonly string[], ctx?: RequestContext) {
    assertKnown(params, ["query", "limit", "page"]);
    const query = parseSearchQuery(readString(params, "query", { required: true }) as string, fields);
    const limit = readInteger(params, "limit") ?? 10;
    if (limit < 1 || limit > LIST_LIMIT_MAX) throw paramError(`Invalid limit: must be between 1 and ${LIST_LIMIT_MAX}`, "limit");
    const pageToken = readString(params, "page");
    const offset = pageToken ? Number(Buffer.from(pageToken, "base64url").toString("utf8").replace(/^offset:/, "")) || 0 : 0;
    const all = this.filterList(type, (object) => matchesSearch(object, query));
    const data = all.slice(offset, offset + limit);
    const hasMore = offset + limit < all.length;
    const expand = readExpand(params);
    const itemExpand = expand.filter((p) => p.startsWith("data.")).map((p) => p.slice(5));
    const result: Record<string, unknown> = {
      object: "search_result",
      data: data.map((item) => this.render(item, itemExpand, ctx)),
      has_more: hasMore,
      next_page: hasMore ? Buffer.from(`offset:${offset + limit}`, "utf8").toString("base64url") : null,
      url,
    };
    if (expand.includes("total_count")) result.total_count = all.length;
    return result;
  }

  // ---------------------------------------------------------------- helpers

  retrieve(type: string, id: string, param: string, label = type.replace(/_/g, " ")): Obj {
    const object = this.store.get(id);
    if (!object || object.object !== type) throw notFound(label, id, param);
    return object;
  }

  private validateAmount(amount: number, currency: string, param = "amount"): void {
    if (amount > MAX_AMOUNT) throw invalidRequest(`Amount must be no more than ${formatMajor(MAX_AMOUNT, currency)}`, { code: "amount_too_large", param });
    if (amount < minimumAmount(currency)) {
      throw invalidRequest(`Amount must be at least ${formatMajor(minimumAmount(currency), currency)}`, { code: "amount_too_small", param });
    }
    if (isThreeDecimal(currency) && amount % 10 !== 0) {
      throw invalidRequest(`Amounts in ${currency} must be a multiple of 10 (the last digit must be 0).`, { code: "invalid_charge_amount", param });
    }
  }

  private readCurrency(params: Params, required: boolean): string | undefined {
    const currency = readString(params, "currency", { required })?.toLowerCase();
    if (currency === undefined) return undefined;
    if (!isSupportedCurrency(currency)) throw paramError(`Invalid currency: ${currency}. Stripe currently supports these currencies: usd, eur, gbp, jpy, …`, "currency");
    return currency;
  }

  private schedule(type: string, ref: string, delaySeconds: number, flushable: boolean, data?: Record<string, unknown>): Job {
    const job: Job = { id: newId("job"), at: this.now() + delaySeconds, type, ref, flushable, data };
    this.store.putJob(job);
    return job;
  }

  // ---------------------------------------------------------------- customers

  createCustomer(params: Params, ctx: RequestContext): Obj {
    assertKnown(params, ["email", "name", "description", "metadata", "phone", "address", "payment_method", "invoice_settings", "shipping"]);
    const customer: Obj = {
      id: newId("cus"),
      object: "customer",
      address: null,
      balance: 0,
      created: this.now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: readNullableString(params, "description") ?? null,
      email: readNullableString(params, "email", 512) ?? null,
      invoice_prefix: randomBase62(8).toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: applyMetadata({}, params),
      name: readNullableString(params, "name", 256) ?? null,
      next_invoice_sequence: 1,
      phone: readNullableString(params, "phone", 20) ?? null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: "none",
      test_clock: null,
    };
    this.store.insert(customer);
    this.emit("customer.created", customer, ctx);
    const pm = readString(params, "payment_method");
    if (pm) this.attachPaymentMethod(pm, { customer: customer.id }, ctx);
    return customer;
  }

  updateCustomer(id: string, params: Params, ctx: RequestContext): Obj {
    const customer = this.retrieve("customer", id, "customer");
    assertKnown(params, ["email", "name", "description", "metadata", "phone", "invoice_settings"]);
    const before = this.snapshot(customer);
    for (const field of ["email", "name", "description", "phone"]) {
      const value = readNullableString(params, field);
      if (value !== undefined) customer[field] = value;
    }
    customer.metadata = applyMetadata(customer.metadata, params);
    const invoiceSettings = readObject(params, "invoice_settings");
    if (invoiceSettings) {
      const pm = readNullableString(invoiceSettings, "default_payment_method");
      if (pm !== undefined) customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: pm };
    }
    this.store.save(id);
    this.emitUpdated("customer.updated", before, customer, ctx);
    return customer;
  }

  deleteCustomer(id: string, ctx: RequestContext) {
    const customer = this.retrieve("customer", id, "customer");
    this.store.remove(id);
    this.emit("customer.deleted", customer, ctx);
    return { id, object: "customer", deleted: true };
  }

  // ---------------------------------------------------------------- payment methods

  private mintCardPaymentMethod(card: CardBehaviour, details: { expMonth?: number; expYear?: number; wallet?: "apple_pay" | "google_pay" | null; billing?: Params }): Obj {
    const walletType = details.wallet ?? null;
    const pm: Obj = {
      id: newId("pm"),
      object: "payment_method",
      allow_redisplay: "unspecified",
      billing_details: this.billingDetails(details.billing),
      card: {
        brand: card.brand,
        checks: {
          address_line1_check: card.line1Check ?? null,
          address_postal_code_check: card.postalCheck ?? null,
          cvc_check: card.cvcCheck ?? "pass",
        },
        country: card.country,
        display_brand: card.brand === "amex" ? "american_express" : card.brand,
        exp_month: details.expMonth ?? 12,
        exp_year: details.expYear ?? new Date(this.clock.nowMs()).getUTCFullYear() + 3,
        fingerprint: fingerprint(card.number),
        funding: card.funding,
        generated_from: null,
        last4: card.number.slice(-4),
        networks: { available: [card.brand], preferred: null },
        regulated_status: "unregulated",
        three_d_secure_usage: { supported: card.threeDs !== "not_supported" },
        wallet: walletType ? { dynamic_last4: card.number.slice(-4), type: walletType, [walletType]: {} } : null,
      },
      created: this.now(),
      customer: null,
      customer_account: null,
      livemode: false,
      metadata: {},
      type: "card",
    };
    this.store.insert(pm, { card: card.number, wallet: walletType });
    return pm;
  }

  private mintBankPaymentMethod(bank: BankBehaviour, billing?: Params): Obj {
    const pm: Obj = {
      id: newId("pm"),
      object: "payment_method",
      allow_redisplay: "unspecified",
      billing_details: this.billingDetails(billing, bank.type === "sepa_debit" ? { name: "Jenny Rosen", email: "jenny@example.com" } : { name: "Jenny Rosen" }),
      created: this.now(),
      customer: null,
      customer_account: null,
      livemode: false,
      metadata: {},
      type: bank.type,
    };
    if (bank.type === "us_bank_account") {
      pm.us_bank_account = {
        account_holder_type: "individual",
        account_type: "checking",
        bank_name: "STRIPE TEST BANK",
        financial_connections_account: null,
        fingerprint: fingerprint(bank.accountNumber),
        last4: bank.accountNumber.slice(-4),
        networks: { preferred: "ach", supported: ["ach"] },
        routing_number: "110000000",
        status_details: {},
      };
    } else {
      pm.sepa_debit = {
        bank_code: bank.accountNumber.slice(4, 9),
        branch_code: "",
        country: bank.accountNumber.slice(0, 2),
        fingerprint: fingerprint(bank.accountNumber),
        generated_from: { charge: null, setup_attempt: null },
        last4: bank.accountNumber.slice(-4),
      };
    }
    this.store.insert(pm, { bank: bank.accountNumber });
    return pm;
  }

  private billingDetails(billing?: Params, defaults: { name?: string; email?: string } = {}) {
    const address = billing ? readObject(billing, "address") : undefined;
    return {
      address: address
        ? {
            city: readNullableString(address, "city") ?? null,
            country: readNullableString(address, "country") ?? null,
            line1: readNullableString(address, "line1") ?? null,
            line2: readNullableString(address, "line2") ?? null,
            postal_code: readNullableString(address, "postal_code") ?? null,
            state: readNullableString(address, "state") ?? null,
          }
        : emptyAddress(),
      email: (billing && readNullableString(billing, "email")) ?? defaults.email ?? null,
      name: (billing && readNullableString(billing, "name")) ?? defaults.name ?? null,
      phone: (billing && readNullableString(billing, "phone")) ?? null,
      tax_id: null,
    };
  }

  /** A PaymentMethod id, or a magic test token that mints a fresh PaymentMethod. */
  resolvePaymentMethod(ref: string, param: string): Obj {
    const existing = this.store.get(ref);
    if (existing && existing.object === "payment_method") return existing;
    const card = resolveCardToken(ref);
    if (card) return this.mintCardPaymentMethod(card.card, { wallet: card.wallet });
    const bank = resolveBankToken(ref);
    if (bank) return this.mintBankPaymentMethod(bank);
    throw notFound("PaymentMethod", ref, param);
  }

  createPaymentMethodFromData(data: Params, ctx: RequestContext, param: string): Obj {
    assertKnown(data, ["type", "card", "billing_details", "us_bank_account", "sepa_debit", "metadata", "allow_redisplay", "payment_method", "customer"], param);
    const type = readString(data, "type", { required: true });
    const billing = readObject(data, "billing_details");
    if (type === "card") {
      const card = readObject(data, "card");
      if (!card) throw paramError(`Missing required param: ${param}[card].`, `${param}[card]`, "parameter_missing");
      const token = readString(card, "token");
      if (token) {
        const resolved = resolveCardToken(token);
        if (!resolved) throw notFound("token", token, `${param}[card][token]`);
        return this.mintCardPaymentMethod(resolved.card, { wallet: resolved.wallet, billing });
      }
      if (!ctx.publishable && !this.config.allowRawCardDataWithSecretKey) {
        throw invalidRequest(
          "Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens that map to the test card you are using, see https://stripe.com/docs/testing. To enable testing raw card data APIs, see https://support.stripe.com/questions/enabling-access-to-raw-card-data-apis.",
          { param: `${param}[card][number]`, status: 402 },
        );
      }
      const number = (readString(card, "number", { required: true }) as string).replace(/[\s-]/g, "");
      if (!luhnValid(number)) {
        throw this.cardError({ code: "incorrect_number", message: "Your card number is incorrect.", param: "number" });
      }
      const expMonth = readInteger(card, "exp_month", { required: true }) as number;
      const expYear = readInteger(card, "exp_year", { required: true }) as number;
      if (expMonth < 1 || expMonth > 12) throw this.cardError({ code: "invalid_expiry_month", message: "Your card's expiration month is invalid.", param: "exp_month" });
      const fullYear = expYear < 100 ? 2000 + expYear : expYear;
      const nowDate = new Date(this.clock.nowMs());
      if (fullYear < nowDate.getUTCFullYear() || (fullYear === nowDate.getUTCFullYear() && expMonth < nowDate.getUTCMonth() + 1)) {
        throw this.cardError({ code: "invalid_expiry_year", message: "Your card's expiration year is invalid.", param: "exp_year" });
      }
      const wallet = readString(card, "wallet") as "apple_pay" | "google_pay" | undefined;
      return this.mintCardPaymentMethod(findCardByNumber(number), { expMonth, expYear: fullYear, billing, wallet: wallet ?? null });
    }
    if (type === "us_bank_account") {
      const bank = readObject(data, "us_bank_account") ?? {};
      const accountNumber = readString(bank, "account_number", { required: true }) as string;
      return this.mintBankPaymentMethod(findBankByAccountNumber(accountNumber) ?? { type: "us_bank_account", accountNumber, outcome: "succeeds" }, billing);
    }
    if (type === "sepa_debit") {
      const sepa = readObject(data, "sepa_debit") ?? {};
      const iban = (readString(sepa, "iban", { required: true }) as string).replace(/\s+/g, "");
      if (iban === "AT511904300000066666") {
        throw invalidRequest("The bank account provided cannot be used.", { code: "bank_account_unusable", param: `${param}[sepa_debit][iban]`, status: 402 });
      }
      return this.mintBankPaymentMethod(findBankByAccountNumber(iban) ?? { type: "sepa_debit", accountNumber: iban, outcome: "succeeds" }, billing);
    }
    throw paramError(`Invalid ${param}[type]: the sandbox supports card, us_bank_account and sepa_debit.`, `${param}[type]`);
  }

  createPaymentMethod(params: Params, ctx: RequestContext): Obj {
    assertKnown(params, ["type", "card", "billing_details", "us_bank_account", "sepa_debit", "metadata", "allow_redisplay", "payment_method", "customer"]);
    const existing = readString(params, "payment_method");
    let pm: Obj;
    if (existing) pm = this.resolvePaymentMethod(existing, "payment_method");
    else pm = this.createPaymentMethodFromData(params, ctx, "payment_method_data");
    pm.metadata = applyMetadata(pm.metadata, params);
    this.store.save(pm.id);
    return pm;
  }

  retrievePaymentMethod(id: string): Obj {
    return this.resolvePaymentMethod(id, "payment_method");
  }

  updatePaymentMethod(id: string, params: Params, ctx: RequestContext): Obj {
    const pm = this.retrieve("payment_method", id, "payment_method");
    assertKnown(params, ["metadata", "billing_details", "allow_redisplay", "card"]);
    const before = this.snapshot(pm);
    pm.metadata = applyMetadata(pm.metadata, params);
    const billing = readObject(params, "billing_details");
    if (billing) pm.billing_details = this.billingDetails(billing);
    this.store.save(id);
    this.emitUpdated("payment_method.updated", before, pm, ctx);
    return pm;
  }

  attachPaymentMethod(id: string, params: Params, ctx: RequestContext): Obj {
    assertKnown(params, ["customer"]);
    const pm = this.resolvePaymentMethod(id, "payment_method");
    const customerId = readString(params, "customer", { required: true }) as string;
    this.retrieve("customer", customerId, "customer");
    const card = this.cardOf(pm);
    if (card?.decline && !card.declineOnChargeOnly) throw this.cardError(card.decline);
    pm.customer = customerId;
    this.store.save(pm.id);
    this.emit("payment_method.attached", pm, ctx);
    return pm;
  }

  detachPaymentMethod(id: string, ctx: RequestContext): Obj {
    const pm = this.retrieve("payment_method", id, "payment_method");
    if (!pm.customer) throw invalidRequest("The payment method you provided is not attached to a customer so detachment is impossible.", { code: "payment_method_unexpected_state" });
    pm.customer = null;
    this.store.save(id);
    this.emit("payment_method.detached", pm, ctx);
    return pm;
  }

  private cardOf(pm: Obj): CardBehaviour | null {
    const number = this.store.internals.get(pm.id)?.card as string | undefined;
    return number ? findCardByNumber(number) : null;
  }

  private bankOf(pm: Obj): BankBehaviour | null {
    const accountNumber = this.store.internals.get(pm.id)?.bank as string | undefined;
    if (!accountNumber) return null;
    return findBankByAccountNumber(accountNumber) ?? { type: pm.type as BankBehaviour["type"], accountNumber, outcome: "succeeds" };
  }

  private cardError(decline: Pick<CardDecline, "code" | "message"> & { declineCode?: string; param?: string }, extra: Partial<StripeErrorBody> = {}): ApiError {
    const body: StripeErrorBody = {
      type: "card_error",
      code: decline.code,
      doc_url: withDocUrl(decline.code),
      message: decline.message,
      ...extra,
    };
    if (decline.declineCode) body.decline_code = decline.declineCode;
    if (decline.param) body.param = decline.param;
    return new ApiError(402, body);
  }

  // ---------------------------------------------------------------- payment intents

  createPaymentIntent(params: Params, ctx: RequestContext): { object: Obj; error?: ApiError } {
    assertKnown(params, [
      "amount", "currency", "confirm", "payment_method", "payment_method_data", "payment_method_types", "allowed_payment_method_types",
      "excluded_payment_method_types", "automatic_payment_methods", "capture_method", "confirmation_method", "customer", "description",
      "metadata", "receipt_email", "setup_future_usage", "off_session", "error_on_requires_action", "return_url", "use_stripe_sdk",
      "statement_descriptor", "statement_descriptor_suffix", "shipping", "payment_method_options", "mandate_data", "mandate",
      "radar_options", "transfer_group", "payment_method_configuration", "confirmation_token",
      "application_fee_amount", "on_behalf_of", "transfer_data",
    ]);
    for (const connect of ["application_fee_amount", "on_behalf_of", "transfer_data", "confirmation_token"]) {
      if (params[connect] !== undefined) throw paramError(`The sandbox does not support ${connect}.`, connect);
    }
    const amount = readInteger(params, "amount", { required: true }) as number;
    const currency = this.readCurrency(params, true) as string;
    this.validateAmount(amount, currency);
    const captureMethod = readEnum(params, "capture_method", ["automatic", "automatic_async", "manual"] as const) ?? "automatic_async";
    const confirmationMethod = readEnum(params, "confirmation_method", ["automatic", "manual"] as const) ?? "automatic";
    const allowedTypes = readStringArray(params, "allowed_payment_method_types") ?? readStringArray(params, "payment_method_types");
    const excludedTypes = readStringArray(params, "excluded_payment_method_types") ?? null;
    const automatic = readObject(params, "automatic_payment_methods");
    let automaticPaymentMethods: { enabled: boolean; allow_redirects?: string } | null = null;
    if (automatic) {
      assertKnown(automatic, ["enabled", "allow_redirects"], "automatic_payment_methods");
      const enabled = readBoolean(automatic, "enabled");
      if (enabled === undefined) throw paramError("Missing required param: automatic_payment_methods[enabled].", "automatic_payment_methods[enabled]", "parameter_missing");
      const redirects = readEnum(automatic, "allow_redirects", ["always", "never"] as const);
      automaticPaymentMethods = { enabled, ...(redirects ? { allow_redirects: redirects } : {}) };
      if (enabled && allowedTypes) {
        throw paramError("You may only specify one of these parameters: automatic_payment_methods, payment_method_types.", "automatic_payment_methods", "parameters_exclusive");
      }
    } else if (!allowedTypes) {
      automaticPaymentMethods = { enabled: true };
    }
    const customer = readNullableString(params, "customer") ?? null;
    if (customer) this.retrieve("customer", customer, "customer");
    const id = newId("pi");
    const pmOptions = readObject(params, "payment_method_options");
    const cardOptions = pmOptions ? readObject(pmOptions, "card") : undefined;
    const cardCapture = cardOptions ? readEnum(cardOptions, "capture_method", ["manual"] as const) : undefined;
    const request3ds = cardOptions ? readEnum(cardOptions, "request_three_d_secure", ["any", "automatic", "challenge"] as const) : undefined;
    const pi: Obj = {
      id,
      object: "payment_intent",
      allowed_payment_method_types: allowedTypes ?? null,
      amount,
      amount_capturable: 0,
      amount_details: { tip: {} },
      amount_received: 0,
      application: null,
      application_fee_amount: null,
      automatic_payment_methods: automaticPaymentMethods,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: captureMethod,
      client_secret: `${id}_secret_${randomBase62(25)}`,
      confirmation_method: confirmationMethod,
      created: this.now(),
      currency,
      customer,
      customer_account: null,
      description: readNullableString(params, "description") ?? null,
      excluded_payment_method_types: excludedTypes,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      managed_payments: null,
      metadata: applyMetadata({}, params),
      next_action: null,
      on_behalf_of: null,
      payment_method: null,
      payment_method_configuration_details: null,
      payment_method_options: {
        card: {
          installments: null,
          mandate_options: null,
          network: null,
          request_three_d_secure: request3ds ?? "automatic",
          ...(cardCapture ? { capture_method: cardCapture } : {}),
        },
      },
      payment_method_types: allowedTypes ?? (currency === "eur" ? ["card", "sepa_debit"] : currency === "usd" ? ["card", "us_bank_account"] : ["card"]),
      payment_record: null,
      processing: null,
      receipt_email: readNullableString(params, "receipt_email") ?? null,
      review: null,
      setup_future_usage: readEnum(params, "setup_future_usage", ["on_session", "off_session"] as const) ?? null,
      shipping: null,
      source: null,
      statement_descriptor: readNullableString(params, "statement_descriptor", 22) ?? null,
      statement_descriptor_suffix: readNullableString(params, "statement_descriptor_suffix", 22) ?? null,
      status: "requires_payment_method",
      transfer_group: readNullableString(params, "transfer_group") ?? null,
    };
    const confirm = readBoolean(params, "confirm") ?? false;
    if (!confirm) {
      for (const key of ["off_session", "error_on_requires_action", "return_url", "use_stripe_sdk", "mandate_data"]) {
        if (params[key] !== undefined && key !== "return_url") {
          throw paramError(`You can only pass ${key} when confirm=true.`, key);
        }
      }
    }
    const pmRef = readString(params, "payment_method");
    const pmData = readObject(params, "payment_method_data");
    if (pmRef) pi.payment_method = this.resolvePaymentMethod(pmRef, "payment_method").id;
    else if (pmData) pi.payment_method = this.createPaymentMethodFromData(pmData, ctx, "payment_method_data").id;
    if (pi.payment_method) pi.status = "requires_confirmation";
    this.store.insert(pi, { charges: 0 });
    this.emit("payment_intent.created", pi, ctx);
    if (!confirm) return { object: pi };
    return this.confirmPaymentIntentObject(pi, params, ctx, true);
  }

  updatePaymentIntent(id: string, params: Params, ctx: RequestContext): Obj {
    const pi = this.retrieve("payment_intent", id, "intent");
    assertKnown(params, [
      "amount", "currency", "payment_method", "payment_method_data", "description", "metadata", "receipt_email", "shipping",
      "setup_future_usage", "statement_descriptor", "statement_descriptor_suffix", "customer", "payment_method_types",
      "allowed_payment_method_types", "capture_method", "transfer_group", "payment_method_options",
    ]);
    const before = this.snapshot(pi);
    const terminal = pi.status === "succeeded" || pi.status === "canceled";
    const financial = ["amount", "currency", "payment_method", "payment_method_data", "capture_method", "payment_method_types", "allowed_payment_method_types"];
    if (financial.some((key) => params[key] !== undefined) && !PI_CONFIRMABLE.includes(pi.status)) {
      throw unexpectedState(`You cannot update this PaymentIntent because it has a status of ${pi.status}. Only metadata, description, receipt_email and shipping can be updated in this status.`);
    }
    if (terminal && Object.keys(params).some((key) => !["metadata", "description", "receipt_email", "shipping", "expand"].includes(key))) {
      throw unexpectedState(`You cannot update this PaymentIntent because it has a status of ${pi.status}.`);
    }
    const currency = this.readCurrency(params, false);
    if (currency) pi.currency = currency;
    const amount = readInteger(params, "amount");
    if (amount !== undefined) {
      this.validateAmount(amount, pi.currency);
      pi.amount = amount;
    }
    const captureMethod = readEnum(params, "capture_method", ["automatic", "automatic_async", "manual"] as const);
    if (captureMethod) pi.capture_method = captureMethod;
    for (const field of ["description", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "transfer_group", "customer"]) {
      const value = readNullableString(params, field);
      if (value !== undefined) pi[field] = value;
    }
    pi.metadata = applyMetadata(pi.metadata, params);
    const pmRef = readString(params, "payment_method");
    const pmData = readObject(params, "payment_method_data");
    if (pmRef || pmData) {
      pi.payment_method = pmRef ? this.resolvePaymentMethod(pmRef, "payment_method").id : this.createPaymentMethodFromData(pmData as Params, ctx, "payment_method_data").id;
      pi.status = "requires_confirmation";
      pi.next_action = null;
    }
    this.store.save(id);
    this.emitUpdated("payment_intent.updated", before, pi, ctx);
    return pi;
  }

  confirmPaymentIntent(id: string, params: Params, ctx: RequestContext): { object: Obj; error?: ApiError } {
    const pi = this.retrieve("payment_intent", id, "intent");
    assertKnown(params, [
      "payment_method", "payment_method_data", "payment_method_types", "receipt_email", "return_url", "setup_future_usage", "off_session",
      "error_on_requires_action", "use_stripe_sdk", "capture_method", "mandate_data", "mandate", "payment_method_options", "radar_options",
      "shipping", "client_secret", "confirmation_token", "excluded_payment_method_types", "amount_to_confirm",
    ]);
    if (ctx.publishable) {
      if (readString(params, "client_secret") !== pi.client_secret) {
        throw invalidRequest("The client_secret provided does not match the client_secret associated with the PaymentIntent.", { param: "client_secret" });
      }
      if (pi.confirmation_method === "manual") {
        throw invalidRequest("This PaymentIntent's confirmation_method is manual; it can only be confirmed with a secret key.", { code: "payment_intent_unexpected_state" });
      }
    }
    return this.confirmPaymentIntentObject(pi, params, ctx, false);
  }

  private confirmPaymentIntentObject(pi: Obj, params: Params, ctx: RequestContext, fromCreate: boolean): { object: Obj; error?: ApiError } {
    if (!PI_CONFIRMABLE.includes(pi.status)) {
      throw unexpectedState(
        `You cannot confirm this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${PI_CONFIRMABLE.join(", ")}.`,
      );
    }
    const x = this.store.internal(pi.id);
    if (!fromCreate) {
      const pmRef = readString(params, "payment_method");
      const pmData = readObject(params, "payment_method_data");
      if (pmRef) pi.payment_method = this.resolvePaymentMethod(pmRef, "payment_method").id;
      else if (pmData) pi.payment_method = this.createPaymentMethodFromData(pmData, ctx, "payment_method_data").id;
      const captureMethod = readEnum(params, "capture_method", ["automatic", "automatic_async", "manual"] as const);
      if (captureMethod) pi.capture_method = captureMethod;
      const receipt = readNullableString(params, "receipt_email");
      if (receipt !== undefined) pi.receipt_email = receipt;
      const sfu = readEnum(params, "setup_future_usage", ["on_session", "off_session"] as const);
      if (sfu) pi.setup_future_usage = sfu;
    }
    const returnUrl = readString(params, "return_url");
    const useStripeSdk = readBoolean(params, "use_stripe_sdk") ?? ctx.publishable;
    const offSessionRaw = params.off_session;
    const offSession = offSessionRaw === "one_off" || offSessionRaw === "recurring" || offSessionRaw === "true";
    const errorOnRequiresAction = readBoolean(params, "error_on_requires_action") ?? false;
    if (!pi.payment_method) {
      throw unexpectedState(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with cus_xxx, specify a payment method attached to this customer along with the customer ID.".replace(" with cus_xxx", ""),
      );
    }
    const pm = this.retrieve("payment_method", pi.payment_method, "payment_method");
    const allowed = (pi.allowed_payment_method_types as string[] | null) ?? pi.payment_method_types;
    if (!allowed.includes(pm.type) && !(pi.automatic_payment_methods?.enabled && ["card", "us_bank_account", "sepa_debit"].includes(pm.type))) {
      throw invalidRequest(
        `The PaymentMethod provided (${pm.type}) is not allowed for this PaymentIntent. Allowed types: ${allowed.join(", ")}.`,
        { code: "payment_intent_incompatible_payment_method", param: "payment_method" },
      );
    }
    if (
      this.config.requireReturnUrl &&
      !ctx.publishable &&
      !returnUrl &&
      !useStripeSdk &&
      pi.automatic_payment_methods?.enabled &&
      pi.automatic_payment_methods.allow_redirects !== "never"
    ) {
      throw paramError(
        "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
        "return_url",
      );
    }
    x.returnUrl = returnUrl ?? null;
    x.useStripeSdk = useStripeSdk;
    pi.last_payment_error = null;
    pi.next_action = null;
    const card = this.cardOf(pm);
    if (!card) return this.confirmBankDebit(pi, pm, ctx);

    const request3ds = pi.payment_method_options?.card?.request_three_d_secure;
    const needsAuth =
      card.threeDs === "required" ||
      card.threeDs === "required_on_setup" ||
      (request3ds === "challenge" && card.threeDs !== "not_supported") ||
      (request3ds === "any" && card.threeDs !== "not_supported");
    if (needsAuth) {
      if (offSession || errorOnRequiresAction) {
        const error: StripeErrorBody = {
          type: "card_error",
          code: "authentication_required",
          decline_code: "authentication_required",
          doc_url: withDocUrl("authentication_required"),
          message: "Your card was declined. This transaction requires authentication.",
        };
        return this.failPaymentIntent(pi, pm, card, { code: "authentication_required", declineCode: "authentication_required", message: error.message, outcomeType: "issuer_declined", networkStatus: "declined_by_network" }, ctx);
      }
      const url = `${this.config.baseUrl}/_sandbox/3ds/${pi.id}?client_secret=${encodeURIComponent(pi.client_secret)}${returnUrl ? `&return_url=${encodeURIComponent(returnUrl)}` : ""}`;
      pi.status = "requires_action";
      pi.next_action =
        returnUrl && !useStripeSdk
          ? { type: "redirect_to_url", redirect_to_url: { return_url: returnUrl, url } }
          : { type: "use_stripe_sdk", use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: url, source: `src_${randomBase62(24)}` } };
      x.threeDs = "pending";
      this.store.save(pi.id);
      this.emit("payment_intent.requires_action", pi, ctx);
      return { object: pi };
    }
    return this.authorizeCard(pi, pm, card, ctx, false);
  }

  /** Card authorisation after any authentication: decline, or charge and capture/hold. */
  private authorizeCard(pi: Obj, pm: Obj, card: CardBehaviour, ctx: RequestContext, authenticated: boolean): { object: Obj; error?: ApiError } {
    const decline = card.decline ?? (authenticated ? card.declineAfterAuth : undefined);
    if (decline) return this.failPaymentIntent(pi, pm, card, decline, ctx, authenticated);
    const manual = pi.capture_method === "manual" || pi.payment_method_options?.card?.capture_method === "manual";
    const charge = this.createCharge(pi, pm, card, { status: "succeeded", captured: !manual, authenticated });
    pi.latest_charge = charge.id;
    pi.next_action = null;
    if (manual) {
      pi.status = "requires_capture";
      pi.amount_capturable = pi.amount;
      const expiry = this.schedule("authorization_expiry", pi.id, this.config.authorizationExpirySeconds, false);
      this.store.internal(pi.id).expiryJob = expiry.id;
      this.store.save(pi.id);
      this.emit("charge.succeeded", charge, ctx);
      this.emit("payment_intent.amount_capturable_updated", pi, ctx);
    } else {
      pi.status = "succeeded";
      pi.amount_received = pi.amount;
      this.settleCapturedCharge(charge, pi.capture_method === "automatic_async");
      this.store.save(pi.id);
      this.emit("charge.succeeded", charge, ctx);
      this.emit("payment_intent.succeeded", pi, ctx);
      this.afterCapture(charge, card);
    }
    return { object: pi };
  }

  private failPaymentIntent(pi: Obj, pm: Obj, card: CardBehaviour, decline: CardDecline, ctx: RequestContext, authenticated = false): { object: Obj; error: ApiError } {
    const charge = this.createCharge(pi, pm, card, { status: "failed", captured: false, decline, authenticated });
    pi.latest_charge = charge.id;
    pi.status = "requires_payment_method";
    pi.next_action = null;
    const error: StripeErrorBody = {
      type: "card_error",
      charge: charge.id,
      code: decline.code,
      doc_url: withDocUrl(decline.code),
      message: decline.message,
      payment_method: clone(pm),
      request_log_url: `${this.config.baseUrl}/_sandbox/requests/${ctx.requestId ?? "none"}`,
    };
    if (decline.declineCode) error.decline_code = decline.declineCode;
    if (decline.param) error.param = decline.param;
    pi.last_payment_error = error;
    pi.payment_method = null;
    this.store.save(pi.id);
    this.emit("charge.failed", charge, ctx);
    this.emit("payment_intent.payment_failed", pi, ctx);
    const apiError = new ApiError(402, { ...error, payment_intent: clone(pi) });
    return { object: pi, error: apiError };
  }

  private confirmBankDebit(pi: Obj, pm: Obj, ctx: RequestContext): { object: Obj } {
    const bank = this.bankOf(pm) as BankBehaviour;
    const charge = this.createCharge(pi, pm, null, { status: "pending", captured: true });
    pi.latest_charge = charge.id;
    pi.status = "processing";
    pi.processing = null;
    pi.amount_received = 0;
    this.store.save(pi.id);
    if (bank.outcome !== "stays_processing") this.schedule("bank_debit_settle", pi.id, this.config.bankDebitSettleSeconds, false);
    this.emit("charge.pending", charge, ctx);
    this.emit("payment_intent.processing", pi, ctx);
    return { object: pi };
  }

  private settleBankDebit(piId: string): void {
    const pi = this.store.get(piId);
    if (!pi || pi.status !== "processing") return;
    const charge = this.store.get(pi.latest_charge) as Obj;
    const pm = this.store.get(charge.payment_method) as Obj;
    const bank = this.bankOf(pm) as BankBehaviour;
    if (bank.outcome === "fails") {
      charge.status = "failed";
      charge.paid = false;
      charge.captured = false;
      charge.amount_captured = 0;
      charge.failure_code = bank.failureCode ?? "payment_method_provider_decline";
      charge.failure_message = bank.failureMessage ?? "The payment failed.";
      charge.outcome = { ...charge.outcome, network_status: "declined_by_network", type: "issuer_declined", seller_message: "The bank declined the debit." };
      pi.status = "requires_payment_method";
      pi.last_payment_error = {
        type: "card_error",
        charge: charge.id,
        code: charge.failure_code,
        message: charge.failure_message,
        payment_method: clone(pm),
        payment_method_type: pm.type,
      };
      pi.payment_method = null;
      this.store.save(charge.id);
      this.store.save(pi.id);
      this.emit("charge.failed", charge, SYSTEM);
      this.emit("payment_intent.payment_failed", pi, SYSTEM);
      return;
    }
    charge.status = "succeeded";
    charge.paid = true;
    charge.amount_captured = charge.amount;
    charge.outcome = { ...charge.outcome, seller_message: "Payment complete." };
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    this.settleCapturedCharge(charge, false);
    this.store.save(pi.id);
    this.emit("charge.succeeded", charge, SYSTEM);
    this.emit("payment_intent.succeeded", pi, SYSTEM);
    if (bank.dispute) this.schedule("dispute_create", charge.id, this.config.disputeDelaySeconds, true, { reason: "general", caseType: "chargeback" });
  }

  private createCharge(
    pi: Obj,
    pm: Obj,
    card: CardBehaviour | null,
    options: { status: "succeeded" | "failed" | "pending"; captured: boolean; decline?: CardDecline; authenticated?: boolean },
  ): Obj {
    const x = this.store.internal(pi.id);
    const id = x.charges === 0 ? `ch_${pi.id.slice(3)}` : newId("ch");
    x.charges = (x.charges ?? 0) + 1;
    const decline = options.decline;
    const succeeded = options.status === "succeeded";
    const riskLevel = decline?.riskLevel ?? card?.riskLevel ?? "normal";
    let paymentMethodDetails: Record<string, unknown>;
    if (card) {
      const wallet = this.store.internals.get(pm.id)?.wallet as string | null | undefined;
      paymentMethodDetails = {
        card: {
          amount_authorized: succeeded ? pi.amount : null,
          authorization_code: succeeded ? String(100000 + Math.floor(Math.random() * 899999)) : null,
          brand: card.brand,
          capture_before: options.captured || !succeeded ? undefined : this.now() + this.config.authorizationExpirySeconds,
          checks: clone(pm.card.checks),
          country: card.country,
          electronic_commerce_indicator: options.authenticated ? "05" : null,
          exp_month: pm.card.exp_month,
          exp_year: pm.card.exp_year,
          extended_authorization: { status: "disabled" },
          fingerprint: pm.card.fingerprint,
          funding: card.funding,
          incremental_authorization: { status: "unavailable" },
          installments: null,
          last4: pm.card.last4,
          mandate: null,
          multicapture: { status: "unavailable" },
          network: card.brand,
          network_token: { used: false },
          network_transaction_id: succeeded ? randomBase62(15) : null,
          overcapture: { maximum_amount_capturable: pi.amount, status: "unavailable" },
          regulated_status: "unregulated",
          three_d_secure: options.authenticated
            ? {
                authentication_flow: "challenge",
                electronic_commerce_indicator: "05",
                exemption_indicator: null,
                result: "authenticated",
                result_reason: null,
                transaction_id: `${randomBase62(8)}-${randomBase62(4)}`,
                version: "2.2.0",
              }
            : null,
          transaction_link_id: null,
          wallet: wallet ? { dynamic_last4: pm.card.last4, type: wallet, [wallet]: {} } : null,
        },
        type: "card",
      };
      if ((paymentMethodDetails.card as Record<string, unknown>).capture_before === undefined) delete (paymentMethodDetails.card as Record<string, unknown>).capture_before;
    } else if (pm.type === "us_bank_account") {
      paymentMethodDetails = {
        type: "us_bank_account",
        us_bank_account: {
          account_holder_type: "individual",
          account_type: "checking",
          bank_name: "STRIPE TEST BANK",
          expected_debit_date: new Date((this.now() + this.config.bankDebitSettleSeconds) * 1000).toISOString().slice(0, 10),
          fingerprint: pm.us_bank_account.fingerprint,
          last4: pm.us_bank_account.last4,
          mandate: `mandate_${randomBase62(24)}`,
          payment_reference: null,
          routing_number: "110000000",
        },
      };
    } else {
      paymentMethodDetails = {
        sepa_debit: {
          bank_code: pm.sepa_debit.bank_code,
          branch_code: "",
          country: pm.sepa_debit.country,
          expected_debit_date: new Date((this.now() + this.config.bankDebitSettleSeconds) * 1000).toISOString().slice(0, 10),
          fingerprint: pm.sepa_debit.fingerprint,
          last4: pm.sepa_debit.last4,
          mandate: `mandate_${randomBase62(24)}`,
        },
        type: "sepa_debit",
      };
    }
    const charge: Obj = {
      id,
      object: "charge",
      amount: pi.amount,
      amount_captured: succeeded && options.captured ? pi.amount : 0,
      amount_refunded: 0,
      application: null,
      application_fee: null,
      application_fee_amount: null,
      balance_transaction: null,
      billing_details: clone(pm.billing_details),
      calculated_statement_descriptor: "SETTLE SANDBOX",
      captured: succeeded && options.captured,
      created: this.now(),
      currency: pi.currency,
      customer: pi.customer,
      description: pi.description,
      disputed: false,
      failure_balance_transaction: null,
      failure_code: decline ? decline.code : null,
      failure_message: decline ? decline.message : null,
      fraud_details: {},
      livemode: false,
      metadata: { ...pi.metadata },
      on_behalf_of: null,
      outcome: {
        advice_code: null,
        network_advice_code: null,
        network_decline_code: decline && decline.networkStatus === "declined_by_network" ? "05" : null,
        network_status: decline ? decline.networkStatus : options.status === "pending" ? "approved_by_network" : "approved_by_network",
        reason: decline ? (decline.outcomeType === "blocked" ? "highest_risk_level" : decline.declineCode ?? decline.code) : riskLevel === "elevated" ? "elevated_risk_level" : null,
        risk_level: riskLevel,
        risk_score: riskLevel === "highest" ? 95 : riskLevel === "elevated" ? 70 : 20,
        seller_message: decline
          ? decline.outcomeType === "blocked"
            ? "Stripe blocked this payment as too risky."
            : "The bank did not return any further details with this decline."
          : options.status === "pending"
            ? "The bank debit is processing."
            : "Payment complete.",
        type: decline ? decline.outcomeType : riskLevel === "elevated" ? "manual_review" : "authorized",
      },
      paid: succeeded,
      payment_intent: pi.id,
      payment_method: pm.id,
      payment_method_details: paymentMethodDetails,
      receipt_email: pi.receipt_email,
      receipt_number: null,
      receipt_url: `${this.config.baseUrl}/_sandbox/receipts/${id}`,
      refunded: false,
      review: null,
      shipping: null,
      source: null,
      source_transfer: null,
      statement_descriptor: pi.statement_descriptor,
      statement_descriptor_suffix: pi.statement_descriptor_suffix,
      status: options.status,
      transfer_data: null,
      transfer_group: pi.transfer_group,
    };
    const rate = exchangeRate(pi.currency, this.config.settlementCurrency);
    this.store.insert(charge, { rate, bypassPending: card?.bypassPending ?? false });
    return charge;
  }

  /** Creates the charge's balance transaction now, or (async capture) shortly after with a `charge.updated`. */
  private settleCapturedCharge(charge: Obj, async: boolean): void {
    if (async && this.config.asyncCaptureDelaySeconds > 0) {
      this.schedule("attach_balance_transaction", charge.id, this.config.asyncCaptureDelaySeconds, true);
      this.store.save(charge.id);
      return;
    }
    this.attachChargeBalanceTransaction(charge, false);
  }

  private attachChargeBalanceTransaction(charge: Obj, announce: boolean): void {
    if (charge.balance_transaction) return;
    const before = announce ? this.snapshot(charge) : null;
    const x = this.store.internal(charge.id);
    const bt = this.createBalanceTransaction({
      type: "charge",
      reportingCategory: "charge",
      source: charge.id,
      amountPresentment: charge.amount_captured,
      currency: charge.currency,
      rate: x.rate,
      feeKind: "processing",
      description: charge.description ?? `Payment for ${charge.payment_intent}`,
      immediate: Boolean(x.bypassPending),
    });
    charge.balance_transaction = bt.id;
    this.store.save(charge.id);
    if (before) this.emitUpdated("charge.updated", before, charge, SYSTEM);
  }

  private afterCapture(charge: Obj, card: CardBehaviour | null): void {
    if (card?.dispute) this.schedule("dispute_create", charge.id, this.config.disputeDelaySeconds, true, { ...card.dispute });
  }

  capturePaymentIntent(id: string, params: Params, ctx: RequestContext): Obj {
    const pi = this.retrieve("payment_intent", id, "intent");
    assertKnown(params, ["amount_to_capture", "metadata", "statement_descriptor", "statement_descriptor_suffix", "final_capture", "application_fee_amount"]);
    if (pi.status !== "requires_capture") {
      throw unexpectedState(
        `This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
      );
    }
    const amount = readInteger(params, "amount_to_capture") ?? pi.amount_capturable;
    if (amount > pi.amount_capturable) {
      throw invalidRequest(`The amount to capture (${amount}) must be less than or equal to the amount capturable (${pi.amount_capturable}).`, { code: "amount_too_large", param: "amount_to_capture" });
    }
    if (amount < 1) throw paramError("Invalid amount_to_capture: must be at least 1.", "amount_to_capture");
    const charge = this.retrieve("charge", pi.latest_charge, "charge");
    pi.metadata = applyMetadata(pi.metadata, params);
    charge.captured = true;
    charge.amount_captured = amount;
    pi.status = "succeeded";
    pi.amount_received = amount;
    pi.amount_capturable = 0;
    const x = this.store.internal(pi.id);
    if (x.expiryJob) this.store.deleteJob(x.expiryJob);
    this.attachChargeBalanceTransaction(charge, false);
    this.store.save(pi.id);
    this.store.save(charge.id);
    this.emit("charge.captured", charge, ctx);
    this.emit("payment_intent.succeeded", pi, ctx);
    this.afterCapture(charge, this.cardOf(this.store.get(charge.payment_method) as Obj));
    return pi;
  }

  cancelPaymentIntent(id: string, params: Params, ctx: RequestContext, reasonOverride?: "automatic"): Obj {
    const pi = this.retrieve("payment_intent", id, "intent");
    assertKnown(params, ["cancellation_reason"]);
    const reason = readEnum(params, "cancellation_reason", ["duplicate", "fraudulent", "requested_by_customer", "abandoned"] as const) ?? null;
    if (!PI_CANCELABLE.includes(pi.status)) {
      throw unexpectedState(
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${PI_CANCELABLE.join(", ")}.`,
      );
    }
    const wasStatus = pi.status;
    pi.status = "canceled";
    pi.canceled_at = this.now();
    pi.cancellation_reason = reasonOverride ?? reason;
    pi.next_action = null;
    const capturable = pi.amount_capturable;
    pi.amount_capturable = 0;
    const x = this.store.internal(pi.id);
    if (x.expiryJob) this.store.deleteJob(x.expiryJob);
    this.store.save(pi.id);
    if (wasStatus === "requires_capture") {
      const charge = this.retrieve("charge", pi.latest_charge, "charge");
      // Releasing an authorisation is modelled as a refund of the uncaptured amount (no balance transaction).
      const refund = this.insertRefund(charge, capturable, reasonOverride ? "expired_uncaptured_charge" : null, "succeeded", {}, null);
      charge.amount_refunded = capturable;
      charge.refunded = true;
      this.store.save(charge.id);
      this.emit("refund.created", refund, ctx);
      this.emit(reasonOverride ? "charge.expired" : "charge.refunded", charge, ctx);
    } else if (wasStatus === "processing" && pi.latest_charge) {
      const charge = this.store.get(pi.latest_charge) as Obj;
      charge.status = "failed";
      charge.paid = false;
      charge.failure_code = "payment_intent_canceled";
      charge.failure_message = "The PaymentIntent was canceled.";
      this.store.save(charge.id);
      this.emit("charge.failed", charge, ctx);
    }
    this.emit("payment_intent.canceled", pi, ctx);
    return pi;
  }

  /** Customer finished (or failed) the hosted 3DS challenge. */
  completeAuthentication(piId: string, outcome: "complete" | "fail", ctx: RequestContext): Obj {
    const pi = this.retrieve("payment_intent", piId, "intent");
    if (pi.status !== "requires_action") {
      throw unexpectedState(`This PaymentIntent has a status of ${pi.status}; authentication can only be completed in requires_action.`);
    }
    const pm = this.retrieve("payment_method", pi.payment_method, "payment_method");
    const card = this.cardOf(pm) as CardBehaviour;
    const x = this.store.internal(pi.id);
    x.threeDs = outcome === "complete" ? "done" : "failed";
    if (outcome === "fail") {
      pi.status = "requires_payment_method";
      pi.next_action = null;
      pi.last_payment_error = {
        type: "invalid_request_error",
        code: "payment_intent_authentication_failure",
        doc_url: withDocUrl("payment_intent_authentication_failure"),
        message:
          "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
        payment_method: clone(pm),
      };
      pi.payment_method = null;
      this.store.save(pi.id);
      this.emit("payment_intent.payment_failed", pi, ctx);
      return pi;
    }
    if (pi.confirmation_method === "manual") {
      pi.status = "requires_confirmation";
      pi.next_action = null;
      this.store.save(pi.id);
      return pi;
    }
    return this.authorizeCard(pi, pm, card, ctx, true).object;
  }

  private expireAuthorization(piId: string): void {
    const pi = this.store.get(piId);
    if (!pi || pi.status !== "requires_capture") return;
    this.cancelPaymentIntent(piId, {}, SYSTEM, "automatic");
  }

  // ---------------------------------------------------------------- charges

  updateCharge(id: string, params: Params, ctx: RequestContext): Obj {
    const charge = this.retrieve("charge", id, "charge");
    assertKnown(params, ["description", "metadata", "receipt_email", "shipping", "fraud_details"]);
    const before = this.snapshot(charge);
    for (const field of ["description", "receipt_email"]) {
      const value = readNullableString(params, field);
      if (value !== undefined) charge[field] = value;
    }
    charge.metadata = applyMetadata(charge.metadata, params);
    const fraud = readObject(params, "fraud_details");
    if (fraud) charge.fraud_details = { ...charge.fraud_details, user_report: readString(fraud, "user_report") };
    this.store.save(id);
    this.emitUpdated("charge.updated", before, charge, ctx);
    return charge;
  }

  // ---------------------------------------------------------------- refunds

  private insertRefund(charge: Obj, amount: number, reason: string | null, status: string, metadata: Record<string, string>, btId: string | null): Obj {
    const refund: Obj = {
      id: newId("re"),
      object: "refund",
      amount,
      balance_transaction: btId,
      charge: charge.id,
      created: this.now(),
      currency: charge.currency,
      customer: charge.customer,
      customer_account: null,
      destination_details:
        charge.payment_method_details?.type === "card"
          ? { card: { reference: randomBase62(12), reference_status: "available", reference_type: "acquirer_reference_number", type: "refund" }, type: "card" }
          : { type: charge.payment_method_details?.type ?? "card" },
      metadata,
      payment_intent: charge.payment_intent,
      payment_method: charge.payment_method,
      reason,
      receipt_number: null,
      source_transfer_reversal: null,
      status,
      transfer_reversal: null,
    };
    this.store.insert(refund, {});
    return refund;
  }

  createRefund(params: Params, ctx: RequestContext): Obj {
    assertKnown(params, ["payment_intent", "charge", "amount", "reason", "metadata", "instructions_email", "refund_application_fee", "reverse_transfer", "origin", "currency", "customer"]);
    const piId = readString(params, "payment_intent");
    const chargeId = readString(params, "charge");
    if (!piId && !chargeId) throw paramError("One of the following params should be provided for this request: payment_intent or charge.", "payment_intent", "parameter_missing");
    let charge: Obj;
    if (chargeId) charge = this.retrieve("charge", chargeId, "charge");
    else {
      const pi = this.retrieve("payment_intent", piId as string, "payment_intent");
      if (pi.status === "requires_capture") {
        throw invalidRequest(`This PaymentIntent (${pi.id}) has not been captured; cancel it to release the authorisation instead of refunding.`, { code: "charge_not_refundable", param: "payment_intent" });
      }
      if (pi.status !== "succeeded" || !pi.latest_charge) {
        throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { code: "charge_not_refundable", param: "payment_intent" });
      }
      charge = this.retrieve("charge", pi.latest_charge, "charge");
    }
    if (charge.status !== "succeeded" || !charge.captured) {
      throw invalidRequest(`Charge ${charge.id} has not been captured or did not succeed, so it cannot be refunded.`, { code: "charge_not_refundable", param: chargeId ? "charge" : "payment_intent" });
    }
    const remaining = charge.amount_captured - charge.amount_refunded;
    if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
    const openChargeback = this.filterList("dispute", (d) => d.charge === charge.id).find(
      (d) => !d.is_charge_refundable && !["won", "lost", "warning_closed"].includes(d.status),
    );
    if (openChargeback) throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: "charge_disputed" });
    const amount = readInteger(params, "amount") ?? remaining;
    if (amount < 1) throw paramError("Invalid positive integer", "amount", "parameter_invalid_integer");
    if (amount > remaining) {
      throw invalidRequest(
        `Refund amount (${formatMajor(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMajor(remaining, charge.currency)})`,
        { param: "amount" },
      );
    }
    const reason = readEnum(params, "reason", ["duplicate", "fraudulent", "requested_by_customer"] as const) ?? null;
    const pm = this.store.get(charge.payment_method) as Obj;
    const card = pm ? this.cardOf(pm) : null;
    const pending = card?.refund === "pending_then_succeeded" || !card;
    const refund = this.insertRefund(charge, amount, reason, pending ? "pending" : "succeeded", applyMetadata({}, params), null);
    if (pending) refund.pending_reason = "processing";
    const chargeX = this.store.internal(charge.id);
    const bt = this.createBalanceTransaction({
      type: "refund",
      reportingCategory: "refund",
      source: refund.id,
      amountPresentment: -amount,
      currency: charge.currency,
      rate: chargeX.rate,
      feeKind: "none",
      description: `REFUND FOR CHARGE (${charge.description ?? charge.id})`,
      immediate: true,
    });
    refund.balance_transaction = bt.id;
    this.store.save(refund.id);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount_captured;
    this.store.save(charge.id);
    if (pending) this.schedule("refund_succeed", refund.id, this.config.refundTransitionDelaySeconds, true);
    if (card?.refund === "fails_later") this.schedule("refund_fail", refund.id, this.config.refundTransitionDelaySeconds, true);
    this.emit("refund.created", refund, ctx);
    this.emit("charge.refunded", charge, ctx);
    return refund;
  }

  updateRefund(id: string, params: Params, ctx: RequestContext): Obj {
    return this.updateMetadataOnly("refund", id, params, ctx);
  }

  /** Objects whose only updatable field is metadata (refunds, payouts): update it and emit `<type>.updated`. */
  private updateMetadataOnly(type: "refund" | "payout", id: string, params: Params, ctx: RequestContext): Obj {
    const object = this.retrieve(type, id, type);
    assertKnown(params, ["metadata"]);
    const before = this.snapshot(object);
    object.metadata = applyMetadata(object.metadata, params);
    this.store.save(id);
    this.emitUpdated(`${type}.updated`, before, object, ctx);
    return object;
  }

  cancelRefund(id: string, ctx: RequestContext): Obj {
    const refund = this.retrieve("refund", id, "refund");
    if (refund.status !== "requires_action") {
      throw invalidRequest(`Refund ${id} cannot be canceled because it has a status of ${refund.status}. Only refunds with status requires_action can be canceled.`, { code: "status_transition_invalid" });
    }
    return this.transitionRefund(refund, "canceled", ctx);
  }

  private transitionRefund(refund: Obj, status: "succeeded" | "failed" | "canceled", ctx: RequestContext, failureReason?: string): Obj {
    const before = this.snapshot(refund);
    const charge = this.retrieve("charge", refund.charge, "charge");
    const chargeBefore = this.snapshot(charge);
    refund.status = status;
    delete refund.pending_reason;
    if (status === "failed" || status === "canceled") {
      if (failureReason) refund.failure_reason = failureReason;
      const chargeX = this.store.internal(charge.id);
      const bt = this.createBalanceTransaction({
        type: "refund_failure",
        reportingCategory: "refund_failure",
        source: refund.id,
        amountPresentment: refund.amount,
        currency: refund.currency,
        rate: chargeX.rate,
        feeKind: "none",
        description: `REFUND FAILURE FOR CHARGE (${charge.id})`,
        immediate: true,
      });
      refund.failure_balance_transaction = bt.id;
      charge.amount_refunded -= refund.amount;
      charge.refunded = false;
      this.store.save(charge.id);
    }
    this.store.save(refund.id);
    this.emitUpdated("refund.updated", before, refund, ctx);
    if (status === "failed") this.emit("refund.failed", refund, ctx);
    void chargeBefore;
    this.emit("charge.refund.updated", refund, ctx);
    return refund;
  }

  expireRefund(id: string, ctx: RequestContext): Obj {
    const refund = this.retrieve("refund", id, "refund");
    if (refund.status !== "requires_action" && refund.status !== "pending") {
      throw invalidRequest(`Only refunds with status requires_action or pending can be expired; ${id} is ${refund.status}.`, { code: "status_transition_invalid" });
    }
    return this.transitionRefund(refund, "canceled", ctx);
  }

  // ---------------------------------------------------------------- disputes

  private createDispute(chargeId: string, data: { reason: string; caseType: "chargeback" | "inquiry" }): Obj | null {
    const charge = this.store.get(chargeId);
    if (!charge || charge.status !== "succeeded") return null;
    const pm = this.store.get(charge.payment_method);
    const brand = pm?.card?.brand ?? "visa";
    const inquiry = data.caseType === "inquiry";
    const dispute: Obj = {
      id: newId("du"),
      object: "dispute",
      amount: charge.amount_captured,
      balance_transactions: [],
      charge: charge.id,
      created: this.now(),
      currency: charge.currency,
      enhanced_eligibility_types: [],
      evidence: {
        access_activity_log: null, billing_address: null, cancellation_policy: null, cancellation_policy_disclosure: null,
        cancellation_rebuttal: null, customer_communication: null, customer_email_address: null, customer_name: null,
        customer_purchase_ip: null, customer_signature: null, duplicate_charge_documentation: null, duplicate_charge_explanation: null,
        duplicate_charge_id: null, enhanced_evidence: {}, product_description: null, receipt: null, refund_policy: null,
        refund_policy_disclosure: null, refund_refusal_explanation: null, service_date: null, service_documentation: null,
        shipping_address: null, shipping_carrier: null, shipping_date: null, shipping_documentation: null,
        shipping_tracking_number: null, uncategorized_file: null, uncategorized_text: null,
      },
      evidence_details: {
        due_by: this.now() + this.config.disputeResponseSeconds,
        enhanced_eligibility: {},
        has_evidence: false,
        past_due: false,
        submission_count: 0,
        submission_method: "not_submitted",
      },
      intended_submission_method: null,
      is_charge_refundable: inquiry,
      livemode: false,
      metadata: {},
      network_reason_code: data.reason === "fraudulent" ? "10.4" : "13.1",
      payment_intent: charge.payment_intent,
      payment_method_details: { card: { brand, case_type: data.caseType, network: brand, network_reason_code: data.reason === "fraudulent" ? "10.4" : "13.1" }, type: "card" },
      reason: data.reason,
      status: inquiry ? "warning_needs_response" : "needs_response",
    };
    this.store.insert(dispute, { caseType: data.caseType });
    charge.disputed = true;
    this.store.save(charge.id);
    this.schedule("dispute_due", dispute.id, this.config.disputeResponseSeconds, false);
    this.emit("charge.dispute.created", dispute, SYSTEM);
    if (!inquiry) this.withdrawDisputeFunds(dispute);
    return dispute;
  }

  private withdrawDisputeFunds(dispute: Obj): void {
    const chargeX = this.store.internal(dispute.charge);
    const bt = this.createBalanceTransaction({
      type: "adjustment",
      reportingCategory: "dispute",
      source: dispute.id,
      amountPresentment: -dispute.amount,
      currency: dispute.currency,
      rate: chargeX.rate,
      feeKind: "dispute",
      description: `Chargeback withdrawal for ${dispute.charge}`,
      immediate: true,
    });
    dispute.balance_transactions = [...dispute.balance_transactions, bt.id];
    dispute.is_charge_refundable = false;
    this.store.save(dispute.id);
    this.emit("charge.dispute.funds_withdrawn", dispute, SYSTEM);
  }

  updateDispute(id: string, params: Params, ctx: RequestContext): Obj {
    const dispute = this.retrieve("dispute", id, "dispute");
    assertKnown(params, ["evidence", "metadata", "submit", "intended_submission_method"]);
    if (!["needs_response", "warning_needs_response"].includes(dispute.status)) {
      throw invalidRequest(`This dispute is in status ${dispute.status} and can no longer be updated.`, { code: "status_transition_invalid" });
    }
    const before = this.snapshot(dispute);
    const evidence = readObject(params, "evidence");
    let textLength = 0;
    if (evidence) {
      for (const [key, value] of Object.entries(evidence)) {
        if (!(key in dispute.evidence) || key === "enhanced_evidence") throw paramError(`Received unknown parameter: evidence[${key}]`, `evidence[${key}]`, "parameter_unknown");
        if (typeof value !== "string") throw paramError(`Invalid string: evidence[${key}]`, `evidence[${key}]`);
        dispute.evidence[key] = value === "" ? null : value;
      }
    }
    for (const value of Object.values(dispute.evidence)) if (typeof value === "string") textLength += value.length;
    if (textLength > 150_000) throw paramError("Dispute evidence text may not exceed 150000 characters in total.", "evidence");
    dispute.evidence_details.has_evidence = Object.values(dispute.evidence).some((v) => typeof v === "string");
    dispute.metadata = applyMetadata(dispute.metadata, params);
    const method = readEnum(params, "intended_submission_method", ["manual", "prefer_manual", "prefer_smart_disputes", "smart_disputes"] as const);
    if (method) dispute.intended_submission_method = method;
    const submit = readBoolean(params, "submit") ?? false;
    const inquiry = this.store.internal(id).caseType === "inquiry";
    if (submit) {
      dispute.evidence_details.submission_count += 1;
      dispute.evidence_details.submission_method = "manual";
      const text = dispute.evidence.uncategorized_text as string | null;
      if (inquiry && text === "escalate_inquiry_evidence") {
        this.store.internal(id).caseType = "chargeback";
        dispute.status = "needs_response";
        dispute.payment_method_details.card.case_type = "chargeback";
        this.store.save(id);
        this.emitUpdated("charge.dispute.updated", before, dispute, ctx);
        this.withdrawDisputeFunds(dispute);
        return dispute;
      }
      dispute.status = inquiry ? "warning_under_review" : "under_review";
      if (text === "winning_evidence") this.schedule("dispute_resolve", id, this.config.disputeDelaySeconds, true, { outcome: "won" });
      if (text === "losing_evidence") this.schedule("dispute_resolve", id, this.config.disputeDelaySeconds, true, { outcome: "lost" });
    }
    this.store.save(id);
    this.emitUpdated("charge.dispute.updated", before, dispute, ctx);
    return dispute;
  }

  closeDispute(id: string, ctx: RequestContext): Obj {
    const dispute = this.retrieve("dispute", id, "dispute");
    if (["won", "lost", "warning_closed"].includes(dispute.status)) return dispute;
    return this.resolveDispute(id, "lost", ctx);
  }

  resolveDispute(id: string, outcome: "won" | "lost", ctx: RequestContext): Obj {
    const dispute = this.retrieve("dispute", id, "dispute");
    if (["won", "lost", "warning_closed"].includes(dispute.status)) {
      throw invalidRequest(`Dispute ${id} is already closed (${dispute.status}).`, { code: "status_transition_invalid" });
    }
    const inquiry = this.store.internal(id).caseType === "inquiry";
    dispute.status = inquiry ? "warning_closed" : outcome;
    dispute.is_charge_refundable = inquiry || outcome === "won";
    this.store.save(id);
    this.emit("charge.dispute.closed", dispute, ctx);
    if (!inquiry && outcome === "won") {
      const chargeX = this.store.internal(dispute.charge);
      const bt = this.createBalanceTransaction({
        type: "adjustment",
        reportingCategory: "dispute_reversal",
        source: dispute.id,
        amountPresentment: dispute.amount,
        currency: dispute.currency,
        rate: chargeX.rate,
        feeKind: this.config.refundDisputeFeeOnWin ? "dispute_refund" : "none",
        description: `Chargeback reversal for ${dispute.charge}`,
        immediate: true,
      });
      dispute.balance_transactions = [...dispute.balance_transactions, bt.id];
      this.store.save(id);
      this.emit("charge.dispute.funds_reinstated", dispute, ctx);
    }
    return dispute;
  }

  // ---------------------------------------------------------------- ledger

  private processingFee(amountSettlement: number, converted: boolean): number {
    const percent = this.config.feePercent + (converted ? this.config.fxFeePercent : 0);
    const fixed = convertMinor(this.config.feeFixedUsdCents, "usd", this.config.settlementCurrency, exchangeRate("usd", this.config.settlementCurrency));
    return Math.round((amountSettlement * percent) / 100) + fixed;
  }

  createBalanceTransaction(input: {
    type: string;
    reportingCategory: string;
    source: string | null;
    amountPresentment: number;
    currency: string;
    rate: number;
    feeKind: "processing" | "dispute" | "dispute_refund" | "none";
    description: string | null;
    immediate: boolean;
    settlementAmount?: number;
  }): Obj {
    const settlement = this.config.settlementCurrency;
    const converted = input.currency !== settlement;
    const amount = input.settlementAmount ?? (converted ? convertMinor(input.amountPresentment, input.currency, settlement, input.rate) : input.amountPresentment);
    let fee = 0;
    let feeDescription = "";
    if (input.feeKind === "processing") {
      fee = this.processingFee(amount, converted);
      feeDescription = "Stripe processing fees";
    } else if (input.feeKind === "dispute" || input.feeKind === "dispute_refund") {
      fee = convertMinor(this.config.disputeFeeUsdCents, "usd", settlement, exchangeRate("usd", settlement));
      if (input.feeKind === "dispute_refund") fee = -fee;
      feeDescription = input.feeKind === "dispute" ? "Dispute fee" : "Dispute fee refund";
    }
    const created = this.now();
    const availableOn = input.immediate ? created : this.startOfDay(created) + this.config.availableDelayDays * 86400;
    const status = availableOn <= created ? "available" : "pending";
    const bt: Obj = {
      id: newId("txn"),
      object: "balance_transaction",
      amount,
      available_on: availableOn,
      balance_type: "payments",
      created,
      currency: settlement,
      description: input.description,
      exchange_rate: converted ? input.rate : null,
      fee,
      fee_details: fee !== 0 ? [{ amount: fee, application: null, currency: settlement, description: feeDescription, type: "stripe_fee" }] : [],
      net: amount - fee,
      reporting_category: input.reportingCategory,
      source: input.source,
      status,
      type: input.type,
    };
    this.store.insert(bt, { payout: null });
    if (status === "pending") this.pendingBalanceTransactions.add(bt.id);
    return bt;
  }

  private startOfDay(seconds: number): number {
    return seconds - (seconds % 86400);
  }

  /** Marks due balance transactions available; emits `balance.available` when anything changed. */
  sweepAvailability(): number {
    const now = this.now();
    let changed = 0;
    for (const id of this.pendingBalanceTransactions) {
      const bt = this.store.get(id);
      if (!bt) {
        this.pendingBalanceTransactions.delete(id);
        continue;
      }
      if (bt.available_on <= now) {
        bt.status = "available";
        this.store.save(id);
        this.pendingBalanceTransactions.delete(id);
        changed++;
      }
    }
    if (changed > 0) this.emit("balance.available", this.balance() as Obj, SYSTEM);
    return changed;
  }

  balance(): Record<string, unknown> {
    let available = 0;
    let pending = 0;
    for (const id of this.store.lists.get("balance_transaction") ?? []) {
      const bt = this.store.get(id) as Obj;
      const x = this.store.internals.get(id);
      if (x?.altered === "extra") continue;
      const real = x?.realNet ?? bt.net;
      if (bt.status === "available") available += real;
      else pending += real;
    }
    const currency = this.config.settlementCurrency;
    return {
      object: "balance",
      available: [{ amount: available, currency, source_types: { card: available } }],
      livemode: false,
      pending: [{ amount: pending, currency, source_types: { card: pending } }],
      refund_and_dispute_prefunding: { available: [{ amount: 0, currency }], pending: [{ amount: 0, currency }] },
    };
  }

  // ---------------------------------------------------------------- payouts

  private bankAccountId(): string {
    return this.store.meta.bankAccountId;
  }

  createPayout(params: Params, ctx: RequestContext): Obj {
    assertKnown(params, ["amount", "currency", "method", "destination", "description", "statement_descriptor", "metadata", "source_type", "payout_method"]);
    const amount = readInteger(params, "amount", { required: true, min: 1 }) as number;
    const currency = this.readCurrency(params, true) as string;
    if (currency !== this.config.settlementCurrency) {
      throw invalidRequest(`The sandbox account settles in ${this.config.settlementCurrency}; payouts in ${currency} are not supported.`, { code: "invalid_currency" as string, param: "currency" });
    }
    const available = (this.balance().available as { amount: number }[])[0].amount;
    if (amount > available) {
      throw invalidRequest("You have insufficient funds in your Stripe account for this transfer. Your card balance is too low.", { code: "balance_insufficient" });
    }
    const method = readEnum(params, "method", ["standard", "instant"] as const) ?? "standard";
    return this.insertPayout(amount, {
      automatic: false,
      method,
      description: readNullableString(params, "description") ?? null,
      statementDescriptor: readNullableString(params, "statement_descriptor", 22) ?? null,
      metadata: applyMetadata({}, params),
      balanceTransactionIds: [],
      ctx,
    });
  }

  private insertPayout(
    amount: number,
    options: { automatic: boolean; method: string; description: string | null; statementDescriptor: string | null; metadata: Record<string, string>; balanceTransactionIds: string[]; ctx: RequestContext; failureCode?: string },
  ): Obj {
    const id = newId("po");
    const created = this.now();
    const bt = this.createBalanceTransaction({
      type: "payout",
      reportingCategory: "payout",
      source: id,
      amountPresentment: -amount,
      currency: this.config.settlementCurrency,
      rate: 1,
      feeKind: "none",
      description: options.description ?? "STRIPE PAYOUT",
      immediate: true,
    });
    const payout: Obj = {
      id,
      object: "payout",
      amount,
      application_fee: null,
      application_fee_amount: null,
      arrival_date: this.startOfDay(created) + this.config.payoutArrivalSeconds,
      automatic: options.automatic,
      balance_transaction: bt.id,
      created,
      currency: this.config.settlementCurrency,
      description: options.description ?? "STRIPE PAYOUT",
      destination: this.bankAccountId(),
      failure_balance_transaction: null,
      failure_code: null,
      failure_message: null,
      livemode: false,
      metadata: options.metadata,
      method: options.method,
      original_payout: null,
      payout_method: null,
      reconciliation_status: options.automatic ? "in_progress" : "not_applicable",
      reversed_by: null,
      source_type: "card",
      statement_descriptor: options.statementDescriptor,
      status: "pending",
      trace_id: { status: "pending", value: null },
      type: "bank_account",
    };
    this.store.insert(payout, { failureCode: options.failureCode ?? null });
    for (const btId of [...options.balanceTransactionIds, bt.id]) {
      this.store.internal(btId).payout = id;
      this.store.save(btId);
    }
    this.schedule("payout_in_transit", id, 1, true);
    this.schedule("payout_arrive", id, Math.max(1, payout.arrival_date - created), false);
    this.emit("payout.created", payout, options.ctx);
    return payout;
  }

  /** Sweeps the available balance into an automatic payout (what Stripe's payout schedule does daily). */
  runAutomaticPayout(options: { failureCode?: string } = {}, ctx: RequestContext = SYSTEM): Obj | null {
    this.sweepAvailability();
    const ids: string[] = [];
    let amount = 0;
    for (const id of this.store.lists.get("balance_transaction") ?? []) {
      const bt = this.store.get(id) as Obj;
      const x = this.store.internal(id);
      if (bt.status !== "available" || x.payout) continue;
      ids.push(id);
      amount += x.realNet ?? bt.net;
      if (x.altered === "extra") amount -= bt.net;
    }
    if (amount <= 0) return null;
    return this.insertPayout(amount, {
      automatic: true,
      method: "standard",
      description: "STRIPE PAYOUT",
      statementDescriptor: null,
      metadata: {},
      balanceTransactionIds: ids,
      ctx,
      failureCode: options.failureCode,
    });
  }

  cancelPayout(id: string, ctx: RequestContext): Obj {
    const payout = this.retrieve("payout", id, "payout");
    if (payout.status !== "pending" || payout.automatic) {
      throw invalidRequest(`Payouts can only be canceled while they are pending and manual; ${id} is ${payout.status}.`, { code: "status_transition_invalid" });
    }
    return this.failOrCancelPayout(payout, "canceled", ctx);
  }

  failPayout(id: string, failureCode: string, ctx: RequestContext): Obj {
    const payout = this.retrieve("payout", id, "payout");
    if (payout.status === "paid" || payout.status === "failed" || payout.status === "canceled") {
      throw invalidRequest(`Payout ${id} is already ${payout.status}.`, { code: "status_transition_invalid" });
    }
    return this.failOrCancelPayout(payout, "failed", ctx, failureCode);
  }

  private failOrCancelPayout(payout: Obj, status: "failed" | "canceled", ctx: RequestContext, failureCode?: string): Obj {
    const before = this.snapshot(payout);
    const bt = this.createBalanceTransaction({
      type: status === "failed" ? "payout_failure" : "payout_cancel",
      reportingCategory: status === "failed" ? "payout_reversal" : "payout_reversal",
      source: payout.id,
      amountPresentment: payout.amount,
      currency: payout.currency,
      rate: 1,
      feeKind: "none",
      description: status === "failed" ? `Payout failure (${failureCode})` : "Payout cancellation",
      immediate: true,
    });
    payout.status = status;
    payout.failure_balance_transaction = bt.id;
    if (status === "failed") {
      payout.failure_code = failureCode ?? "could_not_process";
      payout.failure_message = PAYOUT_FAILURES[payout.failure_code] ?? "The bank could not process this payout.";
    }
    this.store.save(payout.id);
    this.emitUpdated("payout.updated", before, payout, ctx);
    this.emit(status === "failed" ? "payout.failed" : "payout.canceled", payout, ctx);
    return payout;
  }

  updatePayout(id: string, params: Params, ctx: RequestContext): Obj {
    return this.updateMetadataOnly("payout", id, params, ctx);
  }

  private ensurePayoutSchedule(): void {
    if (this.config.payoutSchedule !== "daily") return;
    if (this.store.meta.nextPayoutRunAt === null || this.store.meta.nextPayoutRunAt === undefined) {
      this.store.meta.nextPayoutRunAt = this.startOfDay(this.now()) + 86400;
      this.store.touchMeta();
    }
  }

  // ---------------------------------------------------------------- webhook endpoints

  createWebhookEndpoint(params: Params, ctx: RequestContext): Obj {
    assertKnown(params, ["url", "enabled_events", "api_version", "description", "metadata", "connect"]);
    const url = readString(params, "url", { required: true }) as string;
    if (!/^https?:\/\//.test(url)) throw paramError("Invalid URL: URL must be a valid http(s) URL.", "url", "url_invalid");
    const events = readStringArray(params, "enabled_events");
    if (!events || events.length === 0) throw paramError("Missing required param: enabled_events.", "enabled_events", "parameter_missing");
    if ((this.store.lists.get("webhook_endpoint") ?? []).length >= WEBHOOK_ENDPOINTS_MAX) {
      throw invalidRequest(`You have reached the maximum of ${WEBHOOK_ENDPOINTS_MAX} test webhook endpoints.`, {});
    }
    const endpoint: Obj = {
      id: newId("we"),
      object: "webhook_endpoint",
      api_version: readString(params, "api_version") ?? null,
      application: null,
      created: this.now(),
      description: readNullableString(params, "description") ?? null,
      enabled_events: events,
      livemode: false,
      metadata: applyMetadata({}, params),
      status: "enabled",
      url,
    };
    const secret = `whsec_${randomBase62(32)}`;
    this.store.insert(endpoint, { secret });
    void ctx;
    return { ...endpoint, secret };
  }

  updateWebhookEndpoint(id: string, params: Params): Obj {
    const endpoint = this.retrieve("webhook_endpoint", id, "webhook_endpoint");
    assertKnown(params, ["url", "enabled_events", "disabled", "description", "metadata"]);
    const url = readString(params, "url");
    if (url) endpoint.url = url;
    const events = readStringArray(params, "enabled_events");
    if (events) endpoint.enabled_events = events;
    const disabled = readBoolean(params, "disabled");
    if (disabled !== undefined) endpoint.status = disabled ? "disabled" : "enabled";
    const description = readNullableString(params, "description");
    if (description !== undefined) endpoint.description = description;
    endpoint.metadata = applyMetadata(endpoint.metadata, params);
    this.store.save(id);
    return endpoint;
  }

  deleteWebhookEndpoint(id: string) {
    this.retrieve("webhook_endpoint", id, "webhook_endpoint");
    this.store.remove(id);
    return { id, object: "webhook_endpoint", deleted: true };
  }

  // ---------------------------------------------------------------- scheduler

  /** Runs due jobs (and, with `flush`, the short asynchronous ones regardless of time). Returns how many ran. */
  runJobs(flush = false): number {
    let ran = 0;
    for (let round = 0; round < 50; round++) {
      const now = this.now();
      const due = [...this.store.jobs.values()].filter((job) => job.at <= now || (flush && job.flushable)).sort((a, b) => a.at - b.at);
      let payoutDue = this.config.payoutSchedule === "daily" && this.store.meta.nextPayoutRunAt !== null && this.store.meta.nextPayoutRunAt <= now;
      if (due.length === 0 && !payoutDue) {
        if (this.sweepAvailability() === 0) break;
        continue;
      }
      for (const job of due) {
        this.store.deleteJob(job.id);
        this.runJob(job);
        ran++;
      }
      this.sweepAvailability();
      while (payoutDue) {
        this.store.meta.nextPayoutRunAt = (this.store.meta.nextPayoutRunAt as number) + 86400;
        this.store.touchMeta();
        this.runAutomaticPayout();
        ran++;
        payoutDue = (this.store.meta.nextPayoutRunAt as number) <= now;
      }
    }
    return ran;
  }

  private runJob(job: Job): void {
    switch (job.type) {
      case "authorization_expiry":
        return this.expireAuthorization(job.ref);
      case "attach_balance_transaction": {
        const charge = this.store.get(job.ref);
        if (charge) this.attachChargeBalanceTransaction(charge, true);
        return;
      }
      case "bank_debit_settle":
        return this.settleBankDebit(job.ref);
      case "dispute_create":
        this.createDispute(job.ref, job.data as { reason: string; caseType: "chargeback" | "inquiry" });
        return;
      case "dispute_resolve": {
        const dispute = this.store.get(job.ref);
        if (dispute && ["under_review", "warning_under_review"].includes(dispute.status)) this.resolveDispute(job.ref, (job.data as { outcome: "won" | "lost" }).outcome, SYSTEM);
        return;
      }
      case "dispute_due": {
        const dispute = this.store.get(job.ref);
        if (!dispute) return;
        if (["needs_response", "warning_needs_response"].includes(dispute.status)) {
          dispute.evidence_details.past_due = true;
          this.resolveDispute(job.ref, "lost", SYSTEM);
        }
        return;
      }
      case "refund_succeed": {
        const refund = this.store.get(job.ref);
        if (refund && refund.status === "pending") this.transitionRefund(refund, "succeeded", SYSTEM);
        return;
      }
      case "refund_fail": {
        const refund = this.store.get(job.ref);
        if (refund && refund.status === "succeeded") this.transitionRefund(refund, "failed", SYSTEM, "expired_or_canceled_card");
        return;
      }
      case "payout_in_transit": {
        const payout = this.store.get(job.ref);
        if (!payout || payout.status !== "pending") return;
        const before = this.snapshot(payout);
        payout.status = "in_transit";
        this.store.save(payout.id);
        this.emitUpdated("payout.updated", before, payout, SYSTEM);
        return;
      }
      case "payout_arrive": {
        const payout = this.store.get(job.ref);
        if (!payout || (payout.status !== "in_transit" && payout.status !== "pending")) return;
        const failureCode = this.store.internal(payout.id).failureCode as string | null;
        if (failureCode) {
          this.failPayout(payout.id, failureCode, SYSTEM);
          return;
        }
        const before = this.snapshot(payout);
        payout.status = "paid";
        payout.trace_id = { status: "supported", value: `SANDBOX${randomBase62(10).toUpperCase()}` };
        if (payout.automatic) payout.reconciliation_status = "completed";
        this.store.save(payout.id);
        this.emitUpdated("payout.updated", before, payout, SYSTEM);
        this.emit("payout.paid", payout, SYSTEM);
        if (payout.automatic) this.emit("payout.reconciliation_completed", payout, SYSTEM);
        return;
      }
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- settlement alterations (reconciliation drills)

  alterSettlement(input: { kind: "missing_balance_transaction" | "extra_balance_transaction" | "amount_off"; balanceTransactionId?: string; amount?: number; delta?: number }): Obj {
    const latestChargeBt = () => {
      const found = this.filterList("balance_transaction", (bt) => bt.type === "charge" && !this.store.internal(bt.id).altered)[0];
      if (!found) throw invalidRequest("There is no charge balance transaction to alter yet.", {});
      return found;
    };
    if (input.kind === "extra_balance_transaction") {
      const bt = this.createBalanceTransaction({
        type: "adjustment",
        reportingCategory: "other_adjustment",
        source: null,
        amountPresentment: input.amount ?? 1234,
        currency: this.config.settlementCurrency,
        rate: 1,
        feeKind: "none",
        description: "Adjustment (sandbox: injected extra balance transaction)",
        immediate: true,
      });
      this.store.internal(bt.id).altered = "extra";
      this.store.save(bt.id);
      return bt;
    }
    const bt = input.balanceTransactionId ? this.retrieve("balance_transaction", input.balanceTransactionId, "id") : latestChargeBt();
    const x = this.store.internal(bt.id);
    if (input.kind === "missing_balance_transaction") {
      x.altered = "missing";
      x.hidden = true;
    } else {
      const delta = input.delta ?? 1;
      x.altered = "amount_off";
      x.realNet = x.realNet ?? bt.net;
      bt.amount += delta;
      bt.net += delta;
    }
    this.store.save(bt.id);
    return bt;
  }

  isHidden(id: string): boolean {
    return Boolean(this.store.internals.get(id)?.hidden);
  }
}

const PAYOUT_FAILURES: Record<string, string> = {
  account_closed: "The bank account has been closed.",
  no_account: "The bank account details on file are probably incorrect. No bank account could be located with those details.",
  insufficient_funds: "Your Stripe account has insufficient funds to cover the payout.",
  debit_not_authorized: "Debit transactions are not approved on the bank account.",
  invalid_currency: "The bank was unable to process this payout because of its currency.",
  could_not_process: "The bank could not process this payout.",
};
