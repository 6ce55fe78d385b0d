// The one wrapper every API route handler goes through: request id, authentication (secret key or
// dashboard session), tenant from the credential, body/query parsing, card-data refusal, idempotency,
// Stripe-style errors, structured logging. A handler is: a wrapper, a parse, one call, a response.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { authenticateApiKey } from "@/lib/auth/api-keys";
import { can, type Capability } from "@/lib/auth/roles";
import { allows, type ApiResource } from "@/lib/auth/scopes";
import { getDashboardUser, type DashboardUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/compliance/record-audit-event";
import type { Tx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { isValidIdempotencyKey, requestFingerprint } from "@/lib/idempotency/fingerprint";
import {
  type IdempotencyScope,
  type IdempotentOutcome,
  runIdempotentAtomic,
  runIdempotentExternal,
  runIdempotentInStatement,
  type StoredResponse,
} from "@/lib/idempotency/run-idempotent";
import { logger } from "@/lib/log/logger";
import { assertQueueHasRoom } from "@/lib/ops/backpressure";
import { findCardData } from "./card-data";
import { AppError, errorBody } from "./errors";
import { zodToAppError } from "./zod-errors";

type AuthMode = "secret-key" | "session" | "none";

export type ApiOptions<TBody extends z.ZodType | undefined, TQuery extends z.ZodType | undefined> = {
  auth: AuthMode;
  /** For secret keys: the resource and access a restricted key needs. */
  scope?: { resource: ApiResource; access: "read" | "write" };
  /** For sessions: the dashboard capability the user's role needs. */
  capability?: Capability;
  body?: TBody;
  query?: TQuery;
  /**
   * "atomic": the handler gets `tx`; key record, effect and response commit together (local work).
   * "external": the key is claimed first, then the handler runs (it calls out, e.g. to the PSP).
   * "statement": the handler gets `idempotency` (the key's scope) and claims the key, does its effect and
   * stores its response in one statement of its own, returning the IdempotentOutcome (POST /api/v1/transfers).
   * Mutating calls with secret keys must choose one; session calls rely on the Origin check instead.
   */
  idempotency?: "atomic" | "external" | "statement";
  /** HTTP status of a successful response. */
  successStatus?: number;
  /**
   * Take a multipart/form-data body (file uploads) instead of JSON, up to `limitBytes`; the handler gets
   * it as `form`. Text fields get the card-data check; not combinable with `body` or `idempotency`.
   */
  multipart?: { limitBytes: number };
};

export type ApiContext<TBody, TQuery> = {
  request: Request;
  requestId: string;
  params: Record<string, string>;
  body: TBody;
  query: TQuery;
  merchantId: string;
  actor: Actor;
  /** Set for session-authenticated calls. */
  user: DashboardUser | null;
  idempotencyKey: string | null;
  /** Set when `idempotency: "atomic"`: do every write through it. */
  tx: Tx;
  /** Set when `idempotency: "statement"`: the key's scope; the handler returns the IdempotentOutcome. */
  idempotency: IdempotencyScope | null;
  /** Set for mutating calls with the `multipart` option. */
  form: FormData | null;
};

type RouteContext = { params?: Promise<Record<string, string | string[]>> };
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function newRequestId(): string {
  return `req_${randomBytes(12).toString("base64url")}`;
}

/** Serialises with bigint support: safe integers as numbers, larger as strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    typeof v === "bigint" ? (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v,
  );
}

function jsonResponse(status: number, body: string, requestId: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "request-id": requestId, "cache-control": "no-store", ...extra },
  });
}

async function readBodyText(request: Request, limitBytes: number): Promise<string> {
  return (await readBodyBytes(request, limitBytes)).toString("utf8");
}

async function readBodyBytes(request: Request, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limitBytes) throw new AppError("body_too_large", `Request bodies are limited to ${limitBytes} bytes.`);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new ClientAbortedError("client aborted the request body", { cause: error });
    }
    const { done, value } = chunk;
    if (done) break;
    total += value.byteLength;
    if (total > limitBytes) {
      await reader.cancel().catch(() => {});
      throw new AppError("body_too_large", `Request bodies are limited to ${limitBytes} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function readMultipart(request: Request, limitBytes: number): Promise<FormData> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) {
    throw new AppError("unsupported_content_type", "Send the request body as 'Content-Type: multipart/form-data'.");
  }
  const bytes = await readBodyBytes(request, limitBytes);
  try {
    return await new Response(new Uint8Array(bytes), { headers: { "content-type": type } }).formData();
  } catch {
    throw new AppError("parameter_invalid", "The multipart/form-data body could not be read.");
  }
}

function parseJsonBody(request: Request, text: string): unknown {
  if (text.trim() === "") return {};
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new AppError("unsupported_content_type", "Send the request body as JSON with 'Content-Type: application/json'.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON.");
  }
}

function bearer(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1] ?? null;
}

/** The client's IP: the first X-Forwarded-For entry (set by the proxy in front), else X-Real-IP. */
export function clientIp(request: Request): string | null {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || null;
}

/** Cookie-authenticated calls that change things must come from our own pages. */
function assertSameOrigin(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AppError("cross_site_request", "Cross-site requests are not allowed with a dashboard session.");
  }
  const origin = request.headers.get("origin");
  if (!origin) {
    throw new AppError("cross_site_request", "Requests with a dashboard session must carry an Origin header.");
  }
  const own = new URL(request.url).origin;
  const configured = new URL(getEnv().APP_URL).origin;
  const host = request.headers.get("host");
  const hostOrigin = host ? `${new URL(request.url).protocol}//${host}` : own;
  if (origin !== own && origin !== configured && origin !== hostOrigin) {
    throw new AppError("cross_site_request", "Cross-site requests are not allowed with a dashboard session.");
  }
}

function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) out[key] = value;
  return out;
}

async function resolveParams(context: RouteContext | undefined): Promise<Record<string, string>> {
  const raw = (await context?.params) ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
}

/**
 * The database is saturated (pool or transaction slots exhausted) or briefly gone (restart, crash
 * recovery, a cut connection): a condition to retry, not a bug. Nothing committed half-way: retrying
 * with the same Idempotency-Key is safe.
 */
function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    const code = typeof candidate.code === "string" ? candidate.code : "";
    const message = typeof candidate.message === "string" ? candidate.message : "";
    if (["P2028", "P2024", "P1001", "P1017", "57P01", "57P02", "57P03", "08000", "08003", "08006", "ECONNREFUSED", "ECONNRESET"].includes(code)) return true;
    if (/timeout exceeded when trying to connect|Unable to start a transaction in the given time|Connection terminated|DatabaseNotReachable|the database system is (starting up|shutting down|in recovery mode)/i.test(message)) {
      return true;
    }
    current = candidate.meta?.driverAdapterError ?? candidate.cause;
  }
  return false;
}

/** Retry-After for an error answer: the error's own wait, else 1 s for the 503s (a momentary condition). */
function retryAfterHeader(error: AppError | null): Record<string, string> {
  if (error?.retryAfterSeconds !== undefined) return { "retry-after": String(Math.max(1, Math.ceil(error.retryAfterSeconds))) };
  return error?.status === 503 ? { "retry-after": "1" } : {};
}

/** The client went away while we were reading its request: nothing to answer, nothing to alarm about. */
class ClientAbortedError extends Error {}

export function withApi<TBody extends z.ZodType | undefined = undefined, TQuery extends z.ZodType | undefined = undefined, TResult = unknown>(
  options: ApiOptions<TBody, TQuery>,
  handler: (context: ApiContext<Infer<TBody>, Infer<TQuery>>) => Promise<TResult>,
) {
  return async function apiRoute(request: Request, routeContext?: RouteContext): Promise<Response> {
    const started = performance.now();
    const requestId = newRequestId();
    const url = new URL(request.url);
    let merchantId: string | undefined;
    let status = 500;
    try {
      const env = getEnv();
      const method = request.method.toUpperCase();
      const mutating = MUTATING.has(method);
      // Back-pressure (lib/ops/backpressure.ts): no new work while the background queue has a backlog.
      if (mutating && options.auth !== "none") await assertQueueHasRoom();

      // 1. Who is calling; the tenant comes from the credential only.
      let actor: Actor;
      let user: DashboardUser | null = null;
      if (options.auth === "secret-key") {
        const key = await authenticateApiKey(bearer(request));
        merchantId = key.merchantId;
        actor = { type: "api_key", id: key.apiKeyId, ip: clientIp(request), userAgent: request.headers.get("user-agent"), requestId };
        if (options.scope && !allows(key.scopes, options.scope.resource, options.scope.access)) {
          throw new AppError(
            "permission_denied",
            `The provided key does not have the required permissions for this endpoint: ${options.scope.resource} (${options.scope.access}).`,
          );
        }
      } else if (options.auth === "session") {
        if (mutating) assertSameOrigin(request);
        user = await getDashboardUser();
        if (!user) throw new AppError("authentication_required", "Sign in to continue.");
        merchantId = user.merchantId;
        actor = { type: "user", id: user.id, ip: clientIp(request), userAgent: request.headers.get("user-agent"), requestId };
        if (options.capability && !can(user.role, options.capability)) {
          throw new AppError("permission_denied", `Your role (${user.role}) cannot do this.`);
        }
      } else {
        actor = { type: "system", id: "anonymous", requestId };
      }

      // 2. Input: size, type, JSON, no card data, schema (unknown fields rejected).
      let rawBody: unknown = undefined;
      let body: unknown = undefined;
      let form: FormData | null = null;
      if (mutating && options.multipart) {
        form = await readMultipart(request, options.multipart.limitBytes);
        const fields = Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === "string"));
        const cardData = findCardData(fields);
        if (cardData) throw new AppError("card_data_not_allowed", "Card numbers and security codes must never be sent to Settle.", { param: cardData });
      } else if (mutating) {
        const text = await readBodyText(request, env.API_BODY_LIMIT_BYTES);
        rawBody = parseJsonBody(request, text);
        const cardData = findCardData(rawBody);
        if (cardData) {
          throw new AppError(
            "card_data_not_allowed",
            "Card numbers and security codes must never be sent to Settle. Collect card details with the PSP's hosted fields and send the payment method token (pm_…).",
            { param: cardData },
          );
        }
        if (options.body) {
          const parsed = options.body.safeParse(rawBody);
          if (!parsed.success) throw zodToAppError(parsed.error);
          body = parsed.data;
        } else if (rawBody && typeof rawBody === "object" && Object.keys(rawBody).length > 0) {
          const [first] = Object.keys(rawBody);
          throw new AppError("parameter_unknown", `Received unknown parameter: ${first}`, { param: first });
        }
      }
      let query: unknown = undefined;
      if (options.query) {
        const parsed = options.query.safeParse(queryObject(url));
        if (!parsed.success) throw zodToAppError(parsed.error);
        query = parsed.data;
      }
      const params = await resolveParams(routeContext);

      // 3. Idempotency for mutating calls.
      const headerKey = request.headers.get("idempotency-key");
      if (options.idempotency && mutating) {
        if (headerKey === null) {
          throw new AppError("idempotency_key_missing", "This request needs an 'Idempotency-Key' header (1–255 printable characters), e.g. a UUID.");
        }
        if (!isValidIdempotencyKey(headerKey)) {
          throw new AppError("idempotency_key_invalid", "The Idempotency-Key must be 1–255 printable ASCII characters without spaces.");
        }
      }
      const successStatus = options.successStatus ?? 200;
      let idempotency: IdempotencyScope | null = null;
      // The handler's own Response, or the AppError it threw (the idempotency layer stores that as the answer,
      // so its Retry-After is taken from here).
      const own: { response: Response | null; error: AppError | null } = { response: null, error: null };
      const run = async (tx?: Tx): Promise<StoredResponse> => {
        const result = await handler({
          request, requestId, params, merchantId: merchantId!, actor, user,
          body: body as Infer<TBody>, query: query as Infer<TQuery>, idempotencyKey: headerKey, tx: tx as Tx, idempotency, form,
        }).catch((error: unknown) => {
          if (error instanceof AppError) own.error = error;
          throw error;
        });
        // "statement": the handler stored its response with its effect and returns the outcome itself.
        if (options.idempotency === "statement" && idempotency) return result as IdempotentOutcome;
        // A handler may answer with its own Response (a file download); it is not stored for replay.
        if (result instanceof Response && !options.idempotency) {
          own.response = result;
          return { status: result.status, body: "" };
        }
        return { status: successStatus, body: toJson(result) };
      };

      let outcome: StoredResponse & { replayed?: boolean };
      if (options.idempotency && mutating && headerKey) {
        const scope = {
          merchantId: merchantId!,
          endpoint: `${method} ${url.pathname}`,
          key: headerKey,
          fingerprint: requestFingerprint(method, url.pathname, rawBody),
          requestId,
        };
        idempotency = scope;
        outcome =
          options.idempotency === "atomic"
            ? await runIdempotentAtomic(scope, run)
            : options.idempotency === "statement"
              ? await runIdempotentInStatement(scope, () => run() as Promise<IdempotentOutcome>)
              : await runIdempotentExternal(scope, () => run());
      } else {
        outcome = await run();
      }
      status = outcome.status;
      if (own.response) {
        own.response.headers.set("request-id", requestId);
        return own.response;
      }
      // A replay gets no Retry-After: the stored answer is final for this key, and the wait has moved on.
      const answered = !outcome.replayed && own.error?.status === outcome.status ? own.error : null;
      return jsonResponse(outcome.status, outcome.body, requestId, outcome.replayed ? { "idempotent-replayed": "true" } : retryAfterHeader(answered));
    } catch (error) {
      if (error instanceof ClientAbortedError) {
        status = 499;
        return new Response(null, { status: 499, headers: { "request-id": requestId } });
      }
      const unavailable = !(error instanceof AppError) && isDatabaseUnavailable(error);
      const appError =
        error instanceof AppError
          ? error
          : unavailable
            ? new AppError("database_busy", "Settle is momentarily unable to reach its database. Retry the request with the same Idempotency-Key; it will not run twice.")
            : new AppError("internal_error", "An unexpected error occurred on Settle's side. It has been logged with the request id.");
      status = appError.status;
      if (unavailable) logger.warn({ err: error, requestId, merchantId, path: url.pathname }, "database unavailable");
      else if (!(error instanceof AppError)) logger.error({ err: error, requestId, merchantId, path: url.pathname }, "unhandled API error");
      return jsonResponse(appError.status, toJson(errorBody(appError, requestId)), requestId, retryAfterHeader(appError));
    } finally {
      logger.info(
        { requestId, merchantId, method: request.method, path: url.pathname, status, latencyMs: Math.round(performance.now() - started) },
        "api request",
      );
    }
  };
}
