// The one error type for expected failures, its codes, and how each maps to Stripe-style JSON and HTTP.

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "idempotency_error"
  | "rate_limit_error"
  | "card_error"
  | "api_error";

/** Every expected failure Settle reports. `status` is the HTTP status; `type` the Stripe error type. */
export const ERROR_CODES = {
  /** The request body is not valid JSON. */
  invalid_json: { status: 400, type: "invalid_request_error" },
  /** A parameter is missing, malformed or out of range. */
  parameter_invalid: { status: 400, type: "invalid_request_error" },
  /** A required parameter is missing. */
  parameter_missing: { status: 400, type: "invalid_request_error" },
  /** The body has a field the endpoint does not know. */
  parameter_unknown: { status: 400, type: "invalid_request_error" },
  /** The request's Content-Type is not application/json. */
  unsupported_content_type: { status: 415, type: "invalid_request_error" },
  /** The request body is larger than the limit. */
  body_too_large: { status: 413, type: "invalid_request_error" },
  /** The object does not exist, or belongs to another merchant. */
  resource_missing: { status: 404, type: "invalid_request_error" },
  /** The route exists but not with this method. */
  method_not_allowed: { status: 405, type: "invalid_request_error" },
  /** The request conflicts with the object's current state. */
  invalid_state_transition: { status: 409, type: "invalid_request_error" },
  /** Something that looks like a card number or CVC was sent; only PSP tokens are accepted. */
  card_data_not_allowed: { status: 400, type: "invalid_request_error" },
  /** Not enough funds on the account for this movement. */
  insufficient_funds: { status: 402, type: "invalid_request_error" },
  /** The account is frozen or closed. */
  account_inactive: { status: 422, type: "invalid_request_error" },
  /** Amounts in different currencies were combined. */
  currency_mismatch: { status: 422, type: "invalid_request_error" },
  /** A cross-currency movement needs an FX rate that is not loaded. */
  fx_rate_missing: { status: 422, type: "invalid_request_error" },
  /** A ledger posting reused an external reference that was posted with different entries. */
  external_ref_conflict: { status: 409, type: "invalid_request_error" },
  /** The amount exceeds what may be captured or refunded. */
  amount_too_large: { status: 422, type: "invalid_request_error" },
  /** The PSP declined the card. */
  card_declined: { status: 402, type: "card_error" },
  /** No API key, or an unknown, malformed or revoked one. */
  authentication_required: { status: 401, type: "authentication_error" },
  /** The signed-in user or key lacks the role or scope for this call. */
  permission_denied: { status: 403, type: "permission_error" },
  /** A cross-site request was made with a session cookie. */
  cross_site_request: { status: 403, type: "permission_error" },
  /** A mutating call came without an Idempotency-Key header. */
  idempotency_key_missing: { status: 400, type: "invalid_request_error" },
  /** The Idempotency-Key header is empty, too long or has unprintable characters. */
  idempotency_key_invalid: { status: 400, type: "invalid_request_error" },
  /** The key was used before with different request parameters. */
  idempotency_key_reused: { status: 422, type: "idempotency_error" },
  /** A request with this key is still being processed. */
  idempotency_key_in_use: { status: 409, type: "idempotency_error" },
  /** Too many requests or attempts. */
  rate_limited: { status: 429, type: "rate_limit_error" },
  /** The transaction kept conflicting with concurrent ones; safe to retry with the same key. */
  lock_timeout: { status: 409, type: "api_error" },
  /** The database is saturated (no connection or transaction slot in time); safe to retry with the same key. */
  database_busy: { status: 503, type: "api_error" },
  /** The background queue has a backlog (lib/ops/backpressure.ts); safe to retry shortly with the same key. */
  overloaded: { status: 503, type: "api_error" },
  /** The PSP could not be reached or answered ambiguously. */
  psp_unavailable: { status: 502, type: "api_error" },
  /** Something went wrong on Settle's side. Nothing about it is revealed. */
  internal_error: { status: 500, type: "api_error" },
} as const satisfies Record<string, { status: number; type: ErrorType }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly param?: string;
  readonly declineCode?: string;
  /** Sent as the Retry-After header (seconds): when the same call may succeed, e.g. a rate limit lifts. */
  readonly retryAfterSeconds?: number;
  constructor(code: ErrorCode, message: string, options: { param?: string; declineCode?: string; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.param = options.param;
    this.declineCode = options.declineCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
  get type(): ErrorType {
    return ERROR_CODES[this.code].type;
  }
}

export type ErrorBody = {
  error: { type: ErrorType; code: ErrorCode; message: string; param?: string; decline_code?: string; request_id: string };
};

export function errorBody(error: AppError, requestId: string): ErrorBody {
  return {
    error: {
      type: error.type,
      code: error.code,
      message: error.message,
      ...(error.param ? { param: error.param } : {}),
      ...(error.declineCode ? { decline_code: error.declineCode } : {}),
      request_id: requestId,
    },
  };
}

/** For broken invariants (programmer errors), not expected failures. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Invariant violated: ${message}`);
}
