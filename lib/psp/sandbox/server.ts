// HTTP front of the PSP sandbox: Stripe v1 wire protocol, idempotency, faults, control plane and the Stripe.js shim.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SandboxClock } from "./clock.js";
import { API_VERSION, DEFAULT_CONFIG, Engine, SYSTEM, type RequestContext, type SandboxConfig } from "./engine.js";
import { ApiError, invalidRequest, notFound, paramError } from "./errors.js";
import { BEFORE_EXECUTION, FaultRegistry, type Fault, type FaultSpec } from "./faults.js";
import { canonicalize, decodeForm, FormDecodeError } from "./form.js";
import { newId, newRequestId } from "./ids.js";
import { assertKnown, readBoolean, readRange, readString, readStringArray, inRange, readExpand, type Params } from "./params.js";
import { cardElementPage, receiptPage, stripeJsSource, threeDsPage } from "./shim.js";
import { Store, type Meta, type StripeObject } from "./store.js";
import { WebhookDispatcher, type WebhookFaults, type WebhookTarget } from "./webhooks.js";

export interface PspSandboxOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  webhookTargets?: WebhookTarget[];
  settlementCurrency?: string;
  /** Overrides for fees, delays, schedules (see DEFAULT_CONFIG). */
  config?: Partial<Omit<SandboxConfig, "baseUrl" | "settlementCurrency">>;
}

export interface PspSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

const BODY_LIMIT_BYTES = 1_000_000;
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const IDEMPOTENCY_MAX_ENTRIES = 200_000;
const IDEMPOTENCY_KEY_MAX = 255;
const ACCEPTED_VERSIONS = new Set([API_VERSION]);
const TICK_MS = 250;

type Handler = (input: { params: Params; match: string[]; ctx: RequestContext; expand: string[] }) => unknown;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  publishable?: boolean;
}

class Sandbox {
  readonly store: Store;
  readonly clock: SandboxClock;
  readonly engine: Engine;
  readonly dispatcher: WebhookDispatcher;
  readonly faults = new FaultRegistry();
  readonly config: SandboxConfig;
  private routes: Route[] = [];
  private ticker: NodeJS.Timeout | null = null;

  constructor(options: PspSandboxOptions, baseUrl: string) {
    this.config = {
      ...DEFAULT_CONFIG,
      ...options.config,
      settlementCurrency: (options.settlementCurrency ?? DEFAULT_CONFIG.settlementCurrency).toLowerCase(),
      baseUrl,
    };
    this.store = new Store(options.dataDir, initialMeta);
    this.clock = new SandboxClock(() => this.store.meta, () => this.store.touchMeta());
    this.engine = new Engine(this.store, this.clock, this.config);
    this.dispatcher = new WebhookDispatcher(this.store, this.engine, this.clock, options.webhookTargets ?? [], this.config.webhookRetryScheduleSeconds);
    this.registerRoutes();
  }

  start(): void {
    this.dispatcher.start();
    this.ticker = setInterval(() => {
      try {
        this.engine.runJobs(false);
        this.pruneIdempotency();
      } catch (error) {
        console.error("[psp-sandbox] scheduler error", error);
      }
    }, TICK_MS);
    this.ticker.unref();
  }

  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    await this.dispatcher.close();
    await this.store.close();
  }

  private pruneIdempotency(): void {
    const cutoff = this.clock.now() - IDEMPOTENCY_TTL_SECONDS;
    let excess = this.store.idempotency.size - IDEMPOTENCY_MAX_ENTRIES;
    for (const [key, entry] of this.store.idempotency) {
      if (entry.inFlight) continue;
      if (entry.createdAt < cutoff || excess > 0) {
        this.store.putIdempotency(key, null);
        excess--;
      } else break;
    }
  }

  // ------------------------------------------------------------------ routes

  private route(method: string, path: string, handler: Handler, publishable = false): void {
    const pattern = new RegExp(`^${path.replace(/:[a-z_]+/g, "([^/]+)")}$`);
    this.routes.push({ method, pattern, handler, publishable });
  }

  private registerRoutes(): void {
    const e = () => this.engine;
    const r = (object: StripeObject, expand: string[], ctx: RequestContext) => e().render(object, expand, ctx);
    const withError = (result: { object: StripeObject; error?: ApiError }, expand: string[], ctx: RequestContext) => {
      if (result.error) throw result.error;
      return r(result.object, expand, ctx);
    };

    // PaymentIntents
    this.route("POST", "/v1/payment_intents", ({ params, ctx, expand }) => withError(e().createPaymentIntent(params, ctx), expand, ctx));
    this.route("GET", "/v1/payment_intents", ({ params, ctx }) => {
      const customer = readString(params, "customer");
      return e().list("payment_intent", params, "/v1/payment_intents", ["customer"], (pi) => !customer || pi.customer === customer, ctx);
    });
    this.route("GET", "/v1/payment_intents/search", ({ params, ctx }) =>
      e().search("payment_intent", params, "/v1/payment_intents/search", ["amount", "created", "currency", "customer", "status", "payment_method", "description"], ctx),
    );
    this.route(
      "GET",
      "/v1/payment_intents/:id",
      ({ params, match, ctx, expand }) => {
        assertKnown(params, ["client_secret"]);
        const pi = e().retrieve("payment_intent", match[0], "intent");
        if (ctx.publishable && readString(params, "client_secret") !== pi.client_secret) {
          throw invalidRequest("The client_secret provided does not match the client_secret associated with the PaymentIntent.", { param: "client_secret" });
        }
        return r(pi, expand, ctx);
      },
      true,
    );
    this.route("POST", "/v1/payment_intents/:id", ({ params, match, ctx, expand }) => r(e().updatePaymentIntent(match[0], params, ctx), expand, ctx));
    this.route("POST", "/v1/payment_intents/:id/confirm", ({ params, match, ctx, expand }) => withError(e().confirmPaymentIntent(match[0], params, ctx), expand, ctx), true);
    this.route("POST", "/v1/payment_intents/:id/capture", ({ params, match, ctx, expand }) => r(e().capturePaymentIntent(match[0], params, ctx), expand, ctx));
    this.route("POST", "/v1/payment_intents/:id/cancel", ({ params, match, ctx, expand }) => r(e().cancelPaymentIntent(match[0], params, ctx), expand, ctx));

    // PaymentMethods
    this.route("POST", "/v1/payment_methods", ({ params, ctx, expand }) => r(e().createPaymentMethod(params, ctx), expand, ctx), true);
    this.route("GET", "/v1/payment_methods", ({ params, ctx }) => {
      const customer = readString(params, "customer");
      const type = readString(params, "type");
      return e().list("payment_method", params, "/v1/payment_methods", ["customer", "type"], (pm) => (!customer || pm.customer === customer) && (!type || pm.type === type), ctx);
    });
    this.route("GET", "/v1/payment_methods/:id", ({ match, ctx, expand }) => r(e().retrievePaymentMethod(match[0]), expand, ctx));
    this.route("POST", "/v1/payment_methods/:id", ({ params, match, ctx, expand }) => r(e().updatePaymentMethod(match[0], params, ctx), expand, ctx));
    this.route("POST", "/v1/payment_methods/:id/attach", ({ params, match, ctx, expand }) => r(e().attachPaymentMethod(match[0], params, ctx), expand, ctx));
    this.route("POST", "/v1/payment_methods/:id/detach", ({ match, ctx, expand }) => r(e().detachPaymentMethod(match[0], ctx), expand, ctx));

    // Customers
    this.route("POST", "/v1/customers", ({ params, ctx, expand }) => r(e().createCustomer(params, ctx), expand, ctx));
    this.route("GET", "/v1/customers", ({ params, ctx }) => {
      const email = readString(params, "email");
      return e().list("customer", params, "/v1/customers", ["email"], (c) => !email || c.email === email, ctx);
    });
    this.route("GET", "/v1/customers/search", ({ params, ctx }) => e().search("customer", params, "/v1/customers/search", ["email", "name", "phone", "created"], ctx));
    this.route("GET", "/v1/customers/:id", ({ match, ctx, expand }) => r(e().retrieve("customer", match[0], "customer"), expand, ctx));
    this.route("POST", "/v1/customers/:id", ({ params, match, ctx, expand }) => r(e().updateCustomer(match[0], params, ctx), expand, ctx));
    this.route("DELETE", "/v1/customers/:id", ({ match, ctx }) => e().deleteCustomer(match[0], ctx));
    this.route("GET", "/v1/customers/:id/payment_methods", ({ params, match, ctx }) => {
      e().retrieve("customer", match[0], "customer");
      const type = readString(params, "type");
      return e().list("payment_method", params, `/v1/customers/${match[0]}/payment_methods`, ["type", "allow_redisplay"], (pm) => pm.customer === match[0] && (!type || pm.type === type), ctx);
    });

    // Charges
    this.route("POST", "/v1/charges", () => {
      throw invalidRequest("The sandbox does not support creating charges directly; use PaymentIntents.", { status: 400 });
    });
    this.route("GET", "/v1/charges", ({ params, ctx }) => {
      const pi = readString(params, "payment_intent");
      const customer = readString(params, "customer");
      const group = readString(params, "transfer_group");
      return e().list("charge", params, "/v1/charges", ["payment_intent", "customer", "transfer_group"], (c) => (!pi || c.payment_intent === pi) && (!customer || c.customer === customer) && (!group || c.transfer_group === group), ctx);
    });
    this.route("GET", "/v1/charges/search", ({ params, ctx }) =>
      e().search("charge", params, "/v1/charges/search", ["amount", "created", "currency", "customer", "status", "payment_intent", "refunded", "disputed", "description"], ctx),
    );
    this.route("GET", "/v1/charges/:id", ({ match, ctx, expand }) => r(e().retrieve("charge", match[0], "charge"), expand, ctx));
    this.route("POST", "/v1/charges/:id", ({ params, match, ctx, expand }) => r(e().updateCharge(match[0], params, ctx), expand, ctx));
    this.route("GET", "/v1/charges/:id/refunds", ({ params, match, ctx }) => {
      e().retrieve("charge", match[0], "charge");
      return e().list("refund", params, `/v1/charges/${match[0]}/refunds`, [], (refund) => refund.charge === match[0], ctx);
    });

    // Refunds
    this.route("POST", "/v1/refunds", ({ params, ctx, expand }) => r(e().createRefund(params, ctx), expand, ctx));
    this.route("GET", "/v1/refunds", ({ params, ctx }) => {
      const charge = readString(params, "charge");
      const pi = readString(params, "payment_intent");
      return e().list("refund", params, "/v1/refunds", ["charge", "payment_intent"], (refund) => (!charge || refund.charge === charge) && (!pi || refund.payment_intent === pi), ctx);
    });
    this.route("GET", "/v1/refunds/:id", ({ match, ctx, expand }) => r(e().retrieve("refund", match[0], "refund"), expand, ctx));
    this.route("POST", "/v1/refunds/:id", ({ params, match, ctx, expand }) => r(e().updateRefund(match[0], params, ctx), expand, ctx));
    this.route("POST", "/v1/refunds/:id/cancel", ({ match, ctx, expand }) => r(e().cancelRefund(match[0], ctx), expand, ctx));
    this.route("POST", "/v1/test_helpers/refunds/:id/expire", ({ match, ctx, expand }) => r(e().expireRefund(match[0], ctx), expand, ctx));

    // Disputes
    this.route("GET", "/v1/disputes", ({ params, ctx }) => {
      const charge = readString(params, "charge");
      const pi = readString(params, "payment_intent");
      return e().list("dispute", params, "/v1/disputes", ["charge", "payment_intent"], (d) => (!charge || d.charge === charge) && (!pi || d.payment_intent === pi), ctx);
    });
    this.route("GET", "/v1/disputes/:id", ({ match, ctx, expand }) => r(e().retrieve("dispute", match[0], "dispute"), expand, ctx));
    this.route("POST", "/v1/disputes/:id", ({ params, match, ctx, expand }) => r(e().updateDispute(match[0], params, ctx), expand, ctx));
    this.route("POST", "/v1/disputes/:id/close", ({ match, ctx, expand }) => r(e().closeDispute(match[0], ctx), expand, ctx));

    // Balance and balance transactions
    this.route("GET", "/v1/balance", ({ params }) => {
      assertKnown(params, []);
      e().sweepAvailability();
      return e().balance();
    });
    this.route("GET", "/v1/balance_transactions", ({ params, ctx }) => {
      const payout = readString(params, "payout");
      const source = readString(params, "source");
      const type = readString(params, "type");
      const currency = readString(params, "currency");
      if (payout) {
        const po = e().retrieve("payout", payout, "payout");
        if (!po.automatic) {
          throw invalidRequest("Balance transaction history can only be filtered on automatic transfers, not manual.", { param: "payout" });
        }
      }
      e().sweepAvailability();
      return e().list(
        "balance_transaction",
        params,
        "/v1/balance_transactions",
        ["payout", "source", "type", "currency"],
        (bt) =>
          !e().isHidden(bt.id) &&
          (!payout || this.store.internal(bt.id).payout === payout) &&
          (!source || bt.source === source) &&
          (!type || bt.type === type) &&
          (!currency || bt.currency === currency),
        ctx,
      );
    });
    this.route("GET", "/v1/balance_transactions/:id", ({ match, ctx, expand }) => {
      if (e().isHidden(match[0])) throw notFound("balance transaction", match[0], "id");
      return r(e().retrieve("balance_transaction", match[0], "id", "balance transaction"), expand, ctx);
    });

    // Payouts
    this.route("POST", "/v1/payouts", ({ params, ctx, expand }) => r(e().createPayout(params, ctx), expand, ctx));
    this.route("GET", "/v1/payouts", ({ params, ctx }) => {
      const status = readString(params, "status");
      const arrival = readRange(params, "arrival_date");
      const destination = readString(params, "destination");
      return e().list("payout", params, "/v1/payouts", ["status", "arrival_date", "destination"], (p) => (!status || p.status === status) && inRange(p.arrival_date, arrival) && (!destination || p.destination === destination), ctx);
    });
    this.route("GET", "/v1/payouts/:id", ({ match, ctx, expand }) => r(e().retrieve("payout", match[0], "payout"), expand, ctx));
    this.route("POST", "/v1/payouts/:id", ({ params, match, ctx, expand }) => r(e().updatePayout(match[0], params, ctx), expand, ctx));
    this.route("POST", "/v1/payouts/:id/cancel", ({ match, ctx, expand }) => r(e().cancelPayout(match[0], ctx), expand, ctx));

    // Events
    this.route("GET", "/v1/events", ({ params, ctx }) => {
      const type = readString(params, "type");
      const types = readStringArray(params, "types");
      if (types && types.length > 20) throw paramError("You may pass at most 20 types.", "types");
      const deliverySuccess = readBoolean(params, "delivery_success");
      const typeMatcher = type ? new RegExp(`^${type.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`) : null;
      return e().list(
        "event",
        params,
        "/v1/events",
        ["type", "types", "delivery_success"],
        (event) =>
          (!typeMatcher || typeMatcher.test(event.type)) &&
          (!types || types.includes(event.type)) &&
          (deliverySuccess === undefined || (event.pending_webhooks === 0) === deliverySuccess),
        ctx,
      );
    });
    this.route("GET", "/v1/events/:id", ({ match, ctx }) => r(e().retrieve("event", match[0], "id"), [], ctx));

    // Webhook endpoints
    this.route("POST", "/v1/webhook_endpoints", ({ params, ctx }) => e().createWebhookEndpoint(params, ctx));
    this.route("GET", "/v1/webhook_endpoints", ({ params, ctx }) => e().list("webhook_endpoint", params, "/v1/webhook_endpoints", [], () => true, ctx));
    this.route("GET", "/v1/webhook_endpoints/:id", ({ match, ctx }) => r(e().retrieve("webhook_endpoint", match[0], "webhook_endpoint"), [], ctx));
    this.route("POST", "/v1/webhook_endpoints/:id", ({ params, match, ctx }) => r(e().updateWebhookEndpoint(match[0], params), [], ctx));
    this.route("DELETE", "/v1/webhook_endpoints/:id", ({ match }) => e().deleteWebhookEndpoint(match[0]));
  }

  // ------------------------------------------------------------------ HTTP

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const method = (req.method ?? "GET").toUpperCase();
    const origin = req.headers.origin;
    res.setHeader("Access-Control-Allow-Origin", origin ?? "*");
    res.setHeader("Vary", "Origin");
    res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Stripe-Version, Idempotency-Key, Stripe-Account");
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    res.setHeader("Access-Control-Expose-Headers", "Request-Id, Stripe-Version, Idempotency-Key, Idempotent-Replayed");
    res.setHeader("Request-Id", requestId);
    if (method === "OPTIONS") {
      res.writeHead(204);
      res.end();
      return;
    }
    try {
      const path = url.pathname;
      if (path.startsWith("/v1/")) return await this.handleApi(req, res, url, method, requestId);
      if (path === "/js/stripe.js" || path === "/v3" || path === "/v3/" || path === "/endive/stripe.js") {
        return send(res, 200, stripeJsSource(this.config.baseUrl), "application/javascript; charset=utf-8");
      }
      if (path.startsWith("/_sandbox/")) return await this.handleControl(req, res, url, method);
      if (path === "/" || path === "/health") return sendJson(res, 200, { ok: true, api_version: API_VERSION, url: this.config.baseUrl });
      return sendJson(res, 404, {
        error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` },
      });
    } catch (error) {
      if (error instanceof ApiError) return sendJson(res, error.status, { error: error.body });
      console.error(`[psp-sandbox] ${requestId} internal error`, error);
      return sendJson(res, 500, { error: { type: "api_error", message: "An unknown error occurred in the sandbox." } });
    }
  }

  private async handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, method: string, requestId: string): Promise<void> {
    const version = headerValue(req.headers["stripe-version"]);
    res.setHeader("Stripe-Version", version && ACCEPTED_VERSIONS.has(version) ? version : API_VERSION);
    const bodyText = method === "POST" ? await readBody(req) : "";
    let params: Params;
    try {
      if (method === "POST" && /application\/json/.test(req.headers["content-type"] ?? "")) {
        throw paramError("Invalid request: the v1 API accepts only application/x-www-form-urlencoded bodies.", "");
      }
      params = decodeForm(method === "POST" ? bodyText : url.search.slice(1));
    } catch (error) {
      if (error instanceof FormDecodeError) throw paramError(error.message, error.param);
      throw error;
    }
    const auth = this.authenticate(req, params);
    if (version && !ACCEPTED_VERSIONS.has(version)) {
      throw invalidRequest(`Invalid Stripe API version: ${version}. The sandbox renders ${API_VERSION} only.`, { param: "Stripe-Version" });
    }
    const path = url.pathname.replace(/\/+$/, "");
    let route: Route | undefined;
    let match: string[] = [];
    let pathKnown = false;
    for (const candidate of this.routes) {
      const m = candidate.pattern.exec(path);
      if (!m) continue;
      pathKnown = true;
      if (candidate.method !== method) continue;
      route = candidate;
      match = m.slice(1).map(decodeURIComponent);
      break;
    }
    if (!route) {
      const message = pathKnown
        ? `Unrecognized request URL (${method}: ${path}). The method is not allowed for this path.`
        : `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;
      return sendJson(res, 404, { error: { type: "invalid_request_error", message } });
    }
    if (auth.publishable && !route.publishable) {
      throw invalidRequest("This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.", {
        status: 401,
        code: "secret_key_required",
      });
    }
    const idempotencyKey = method === "POST" ? (headerValue(req.headers["idempotency-key"]) ?? null) : null;
    if (idempotencyKey) {
      res.setHeader("Idempotency-Key", idempotencyKey);
      if (idempotencyKey.length > IDEMPOTENCY_KEY_MAX) throw paramError(`Idempotency keys can be at most ${IDEMPOTENCY_KEY_MAX} characters long.`, "Idempotency-Key");
    }
    const ctx: RequestContext = { requestId, idempotencyKey, publishable: auth.publishable };
    const faults = this.faults.take(method, path);
    const before = faults.filter((f) => BEFORE_EXECUTION.includes(f.kind));
    const after = faults.find((f) => !BEFORE_EXECUTION.includes(f.kind));
    const scope = `${auth.key}|${idempotencyKey}`;
    const { expand: _expand, ...paramsForKey } = params;
    void _expand;
    const paramsKey = canonicalize(params);

    if (idempotencyKey) {
      const existing = this.store.idempotency.get(scope);
      if (existing && existing.createdAt < this.clock.now() - IDEMPOTENCY_TTL_SECONDS && !existing.inFlight) this.store.putIdempotency(scope, null);
      const entry = this.store.idempotency.get(scope);
      if (entry) {
        if (entry.inFlight) {
          const error = new ApiError(409, {
            type: "idempotency_error",
            code: "idempotency_key_in_use",
            message: "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): " + idempotencyKey + ". Please try again later.",
          });
          return sendJson(res, 409, { error: error.body }, { "Stripe-Should-Retry": "true" });
        }
        if (entry.method !== method || entry.path !== path || entry.paramsKey !== paramsKey) {
          return sendJson(res, 400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          });
        }
        res.setHeader("Idempotent-Replayed", "true");
        res.setHeader("Original-Request", entry.requestId);
        return send(res, entry.status, entry.body, "application/json");
      }
    }
    void paramsForKey;

    for (const fault of before) {
      if (fault.kind === "latency") await sleep(fault.latencyMs ?? 1000);
    }
    const failBefore = before.find((f) => f.kind !== "latency");
    if (failBefore) return this.applyFaultBefore(res, failBefore, req);

    // Execute. The engine is synchronous, so there is no interleaving between here and storing the result.
    let status = 200;
    let payload: unknown;
    let stored = true;
    try {
      payload = route.handler({ params, match, ctx, expand: readExpand(params) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      status = error.status;
      payload = { error: { ...error.body, request_log_url: `${this.config.baseUrl}/_sandbox/requests/${requestId}` } };
      stored = error.stored;
      for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    }
    let body = JSON.stringify(payload, null, 2);
    if (after?.kind === "500_after") {
      status = 500;
      body = JSON.stringify({ error: { type: "api_error", message: "An unknown error occurred (sandbox: injected after execution)." } }, null, 2);
    }
    if (idempotencyKey && stored) {
      this.store.putIdempotency(scope, { method, path, paramsKey, status, body, requestId, createdAt: this.clock.now() });
    }
    if (after?.kind === "commit_drop") {
      if (after.hangMs) await sleep(after.hangMs);
      req.socket.destroy();
      return;
    }
    if (after?.kind === "truncated_body") {
      res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      setTimeout(() => req.socket.destroy(), 10);
      return;
    }
    if (after?.kind === "500_after" && after.shouldRetry !== undefined) res.setHeader("Stripe-Should-Retry", String(after.shouldRetry));
    send(res, status, body, "application/json");
  }

  private applyFaultBefore(res: http.ServerResponse, fault: Fault, req: http.IncomingMessage): void {
    if (fault.kind === "reset") {
      req.socket.destroy();
      return;
    }
    const status = Number(fault.kind);
    const headers: Record<string, string> = {};
    if (fault.shouldRetry !== undefined) headers["Stripe-Should-Retry"] = String(fault.shouldRetry);
    const error =
      status === 429
        ? { type: "invalid_request_error", code: "rate_limit", message: "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests." }
        : status === 409
          ? { type: "invalid_request_error", code: "lock_timeout", message: "This object cannot be accessed right now because another API request or Stripe process is currently accessing it." }
          : { type: "api_error", message: `Sandbox injected fault: HTTP ${status} before execution.` };
    sendJson(res, status, { error }, headers);
  }

  private authenticate(req: http.IncomingMessage, params: Params): { key: string; publishable: boolean } {
    const header = headerValue(req.headers.authorization);
    let key: string | undefined;
    if (header?.startsWith("Bearer ")) key = header.slice(7).trim();
    else if (header?.startsWith("Basic ")) key = Buffer.from(header.slice(6), "base64").toString("utf8").split(":")[0];
    else if (typeof params.key === "string") key = params.key;
    if (!key) {
      throw invalidRequest(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        { status: 401 },
      );
    }
    if (/^(sk|rk|pk)_live_/.test(key)) throw invalidRequest("Live mode keys cannot be used with the PSP sandbox.", { status: 401, code: "api_key_expired" });
    if (/^(sk|rk)_test_./.test(key)) return { key, publishable: false };
    if (/^pk_test_./.test(key)) return { key, publishable: true };
    throw invalidRequest(`Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`, { status: 401 });
  }

  // ------------------------------------------------------------------ control plane

  private async handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL, method: string): Promise<void> {
    const path = url.pathname;
    const text = method === "POST" || method === "DELETE" ? await readBody(req) : "";
    let body: Record<string, any> = {};
    if (text) {
      try {
        body = /json/.test(req.headers["content-type"] ?? "") || text.startsWith("{") ? JSON.parse(text) : decodeForm(text);
      } catch {
        return sendJson(res, 400, { error: { type: "invalid_request_error", message: "Control-plane bodies must be JSON." } });
      }
    }
    for (const [k, v] of url.searchParams) if (body[k] === undefined) body[k] = v;
    const ok = (value: unknown) => sendJson(res, 200, value);
    let m: RegExpExecArray | null;

    if (method === "POST" && path === "/_sandbox/reset") {
      this.faults.clear();
      this.dispatcher.setFaults({});
      this.store.reset(initialMeta);
      this.engine.afterReset();
      return ok({ ok: true });
    }
    if (method === "GET" && path === "/_sandbox/state") {
      const counts: Record<string, number> = {};
      for (const [type, ids] of this.store.lists) counts[type] = ids.length;
      const objects: Record<string, unknown[]> = {};
      const limit = Math.min(Number(body.limit ?? 20), 500);
      for (const [type, ids] of this.store.lists) objects[type] = ids.slice(-limit).map((id) => this.store.get(id));
      return ok({
        clock: this.clock.describe(),
        counts,
        balance: this.engine.balance(),
        jobs: [...this.store.jobs.values()].sort((a, b) => a.at - b.at).slice(0, 200),
        faults: this.faults.list(),
        webhook_faults: this.dispatcher.getFaults(),
        pending_deliveries: [...this.store.deliveries.values()].filter((d) => d.status === "pending" || d.status === "held").length,
        idempotency_keys: this.store.idempotency.size,
        config: this.config,
        objects: body.objects === "true" || body.objects === true ? objects : undefined,
      });
    }
    if (path === "/_sandbox/clock" && method === "GET") return ok(this.clock.describe());
    if (path === "/_sandbox/clock" && method === "POST") {
      if (body.mode) this.clock.setMode(body.mode, body.at !== undefined ? Number(body.at) : undefined);
      if (body.advance !== undefined || body.seconds !== undefined) this.clock.advance(Number(body.advance ?? body.seconds));
      const ran = this.engine.runJobs(false);
      return ok({ ...this.clock.describe(), jobs_run: ran });
    }
    if (path === "/_sandbox/clock/advance" && method === "POST") {
      const seconds = Number(body.seconds ?? 0);
      if (!Number.isFinite(seconds) || seconds < 0) return sendJson(res, 400, { error: { type: "invalid_request_error", message: "seconds must be a non-negative number" } });
      this.clock.advance(seconds);
      const ran = this.engine.runJobs(false);
      this.dispatcher.pump();
      return ok({ ...this.clock.describe(), jobs_run: ran });
    }
    if (path === "/_sandbox/scheduler/flush" && method === "POST") return ok({ jobs_run: this.engine.runJobs(true) });
    if (path === "/_sandbox/payouts/run" && method === "POST") {
      const payout = this.engine.runAutomaticPayout({ failureCode: body.failure_code ?? body.failureCode }, SYSTEM);
      return ok({ payout });
    }
    if ((m = /^\/_sandbox\/payouts\/([^/]+)\/fail$/.exec(path)) && method === "POST") {
      return ok(this.engine.failPayout(m[1], body.failure_code ?? body.failureCode ?? "account_closed", SYSTEM));
    }
    if (path === "/_sandbox/webhooks/flush" && method === "POST") return ok(await this.dispatcher.flush());
    if (path === "/_sandbox/webhooks/deliveries" && method === "GET") {
      return ok({ data: this.dispatcher.deliveries({ eventId: body.event, status: body.status, limit: body.limit ? Number(body.limit) : undefined }) });
    }
    if (path === "/_sandbox/webhooks/faults") {
      if (method === "POST") this.dispatcher.setFaults(body as WebhookFaults);
      if (method === "DELETE") this.dispatcher.setFaults({});
      return ok(this.dispatcher.getFaults());
    }
    if ((m = /^\/_sandbox\/events\/([^/]+)\/resend$/.exec(path)) && method === "POST") {
      this.engine.retrieve("event", m[1], "id");
      return ok({ deliveries: this.dispatcher.resend(m[1], body.endpoint).map(({ secret: _s, ...d }) => d) });
    }
    if (path === "/_sandbox/faults") {
      if (method === "POST") {
        const spec = body as FaultSpec;
        const kinds = ["latency", "500", "502", "503", "429", "409", "reset", "500_after", "commit_drop", "truncated_body"];
        if (!kinds.includes(String(spec.kind))) return sendJson(res, 400, { error: { type: "invalid_request_error", message: `kind must be one of ${kinds.join(", ")}` } });
        return ok(this.faults.add({ ...spec, kind: String(spec.kind) as FaultSpec["kind"] }));
      }
      if (method === "DELETE") {
        this.faults.clear();
        return ok({ data: [] });
      }
      return ok({ data: this.faults.list() });
    }
    if ((m = /^\/_sandbox\/disputes\/([^/]+)\/resolve$/.exec(path)) && method === "POST") {
      const outcome = body.outcome ?? body.status;
      if (outcome !== "won" && outcome !== "lost") return sendJson(res, 400, { error: { type: "invalid_request_error", message: "outcome must be won or lost" } });
      return ok(this.engine.resolveDispute(m[1], outcome, SYSTEM));
    }
    if ((m = /^\/_sandbox\/3ds\/([^/]+)\/(complete|fail)$/.exec(path)) && method === "POST") {
      const pi = this.engine.retrieve("payment_intent", m[1], "intent");
      if (body.client_secret !== undefined && body.client_secret !== pi.client_secret) {
        return sendJson(res, 400, { error: { type: "invalid_request_error", message: "client_secret does not match" } });
      }
      const result = this.engine.completeAuthentication(m[1], m[2] as "complete" | "fail", SYSTEM);
      return ok(this.engine.render(result, [], { requestId: null, idempotencyKey: null, publishable: body.client_secret !== undefined }));
    }
    if ((m = /^\/_sandbox\/3ds\/([^/]+)$/.exec(path)) && method === "GET") {
      return send(res, 200, threeDsPage(this.config.baseUrl, m[1], String(body.client_secret ?? ""), body.return_url ? String(body.return_url) : null), "text/html; charset=utf-8");
    }
    if (path === "/_sandbox/elements/card" && method === "GET") return send(res, 200, cardElementPage(this.config.baseUrl), "text/html; charset=utf-8");
    if ((m = /^\/_sandbox\/receipts\/([^/]+)$/.exec(path)) && method === "GET") {
      const charge = this.engine.retrieve("charge", m[1], "charge");
      return send(res, 200, receiptPage(charge), "text/html; charset=utf-8");
    }
    if (path === "/_sandbox/trigger" && method === "POST") return ok(this.trigger(String(body.event ?? "")));
    if (path === "/_sandbox/settlement/alter" && method === "POST") {
      const kind = body.kind;
      if (!["missing_balance_transaction", "extra_balance_transaction", "amount_off"].includes(kind)) {
        return sendJson(res, 400, { error: { type: "invalid_request_error", message: "kind must be missing_balance_transaction, extra_balance_transaction or amount_off" } });
      }
      return ok(
        this.engine.alterSettlement({
          kind,
          balanceTransactionId: body.balance_transaction ?? body.balanceTransactionId,
          amount: body.amount !== undefined ? Number(body.amount) : undefined,
          delta: body.delta !== undefined ? Number(body.delta) : undefined,
        }),
      );
    }
    return sendJson(res, 404, { error: { type: "invalid_request_error", message: `Unrecognized sandbox control URL (${method}: ${path}).` } });
  }

  /** `stripe trigger`-style fixtures: run the real flow that emits the requested event. */
  trigger(eventType: string): { event_type: string; objects: string[] } {
    const ctx: RequestContext = { requestId: null, idempotencyKey: null, publishable: false };
    const e = this.engine;
    const metadata = { metadata: { sandbox_trigger: eventType } };
    const createPi = (pm: string, extra: Params = {}) =>
      e.createPaymentIntent({ amount: "2000", currency: this.config.settlementCurrency === "jpy" ? "jpy" : "usd", confirm: "true", payment_method: pm, payment_method_types: ["card"], capture_method: "automatic", ...metadata, ...extra } as Params, ctx);
    const objects: string[] = [];
    switch (eventType) {
      case "payment_intent.created":
        objects.push(e.createPaymentIntent({ amount: "2000", currency: "usd", ...metadata } as Params, ctx).object.id);
        break;
      case "payment_intent.succeeded":
      case "charge.succeeded":
      case "balance.available": {
        const pi = createPi(eventType === "balance.available" ? "pm_card_bypassPending" : "pm_card_visa").object;
        objects.push(pi.id, pi.latest_charge);
        if (eventType === "balance.available") e.sweepAvailability();
        break;
      }
      case "payment_intent.payment_failed":
      case "charge.failed": {
        const pi = createPi("pm_card_chargeDeclined").object;
        objects.push(pi.id, pi.latest_charge);
        break;
      }
      case "payment_intent.requires_action":
        objects.push(createPi("pm_card_authenticationRequired").object.id);
        break;
      case "payment_intent.amount_capturable_updated":
        objects.push(createPi("pm_card_visa", { capture_method: "manual" }).object.id);
        break;
      case "payment_intent.canceled": {
        const pi = e.createPaymentIntent({ amount: "2000", currency: "usd", ...metadata } as Params, ctx).object;
        e.cancelPaymentIntent(pi.id, {}, ctx);
        objects.push(pi.id);
        break;
      }
      case "charge.captured": {
        const pi = createPi("pm_card_visa", { capture_method: "manual" }).object;
        e.capturePaymentIntent(pi.id, {}, ctx);
        objects.push(pi.id, pi.latest_charge);
        break;
      }
      case "payment_intent.processing":
      case "charge.pending": {
        const pi = e.createPaymentIntent({ amount: "2000", currency: "usd", confirm: "true", payment_method: "pm_usBankAccount_success", payment_method_types: ["us_bank_account"], ...metadata } as Params, ctx).object;
        objects.push(pi.id);
        break;
      }
      case "charge.refunded":
      case "refund.created": {
        const pi = createPi("pm_card_visa").object;
        objects.push(pi.id, e.createRefund({ payment_intent: pi.id } as Params, ctx).id);
        break;
      }
      case "refund.failed": {
        const pi = createPi("pm_card_refundFail").object;
        objects.push(pi.id, e.createRefund({ payment_intent: pi.id } as Params, ctx).id);
        e.runJobs(true);
        break;
      }
      case "charge.dispute.created":
      case "charge.dispute.funds_withdrawn": {
        const pi = createPi("pm_card_createDispute").object;
        objects.push(pi.id);
        e.runJobs(true);
        objects.push(...e.filterList("dispute", (d) => d.payment_intent === pi.id).map((d) => d.id));
        break;
      }
      case "charge.dispute.closed": {
        const pi = createPi("pm_card_createDispute").object;
        e.runJobs(true);
        const dispute = e.filterList("dispute", (d) => d.payment_intent === pi.id)[0];
        e.closeDispute(dispute.id, ctx);
        objects.push(pi.id, dispute.id);
        break;
      }
      case "customer.created":
        objects.push(e.createCustomer({ email: "sandbox@example.com", ...metadata } as Params, ctx).id);
        break;
      case "payout.created":
      case "payout.paid": {
        createPi("pm_card_bypassPending");
        const payout = e.runAutomaticPayout({}, ctx);
        if (payout) {
          objects.push(payout.id);
          if (eventType === "payout.paid") {
            this.clock.advance(this.config.payoutArrivalSeconds + 86400);
            e.runJobs(true);
          }
        }
        break;
      }
      case "payout.failed": {
        createPi("pm_card_bypassPending");
        const payout = e.runAutomaticPayout({}, ctx);
        if (payout) objects.push(e.failPayout(payout.id, "account_closed", ctx).id);
        break;
      }
      default:
        throw invalidRequest(`The sandbox cannot trigger ${eventType || "(no event)"}.`, { param: "event" });
    }
    return { event_type: eventType, objects };
  }
}

function initialMeta(): Meta {
  return {
    seq: 0,
    clockMode: "real",
    clockOffsetMs: 0,
    clockFrozenMs: 0,
    nextPayoutRunAt: null,
    bankAccountId: newId("ba"),
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        reject(paramError(`Request body too large (max ${BODY_LIMIT_BYTES} bytes).`, ""));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(value, null, 2), "application/json", headers);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startPspSandbox(options: PspSandboxOptions = {}): Promise<PspSandbox> {
  const host = options.host ?? "127.0.0.1";
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) throw new Error(`The PSP sandbox binds to loopback only (got ${host}).`);
  let sandbox: Sandbox | null = null;
  const server = http.createServer((req, res) => {
    if (!sandbox) {
      res.writeHead(503).end();
      return;
    }
    sandbox.handle(req, res).catch((error) => {
      if (error instanceof ApiError) sendJson(res, error.status, { error: error.body });
      else {
        console.error("[psp-sandbox] unhandled", error);
        sendJson(res, 500, { error: { type: "api_error", message: "An unknown error occurred in the sandbox." } });
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host === "::1" ? "[::1]" : host}:${port}`;
  sandbox = new Sandbox(options, url);
  sandbox.start();
  const active = sandbox;
  return {
    url,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await active.close();
    },
  };
}

export type { SandboxConfig };
