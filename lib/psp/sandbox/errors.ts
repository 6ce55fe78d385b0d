// The Stripe error object, raised by handlers and rendered by the HTTP layer.

export type StripeErrorType = "api_error" | "card_error" | "idempotency_error" | "invalid_request_error";

export interface StripeErrorBody {
  type: StripeErrorType;
  code?: string;
  decline_code?: string;
  message: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  advice_code?: string;
  network_decline_code?: string;
  request_log_url?: string;
}

export class ApiError extends Error {
  /** False for errors raised before execution began (parameter validation): Stripe does not store those per idempotency key. */
  stored = true;
  headers: Record<string, string> = {};
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}`;

export function invalidRequest(message: string, options: { code?: string; param?: string; status?: number; stored?: boolean } = {}): ApiError {
  const body: StripeErrorBody = { type: "invalid_request_error", message };
  if (options.code) {
    body.code = options.code;
    body.doc_url = docUrl(options.code);
  }
  if (options.param !== undefined) body.param = options.param;
  const error = new ApiError(options.status ?? 400, body);
  if (options.stored === false) error.stored = false;
  return error;
}

/** Parameter validation failure: never stored against an idempotency key. */
export function paramError(message: string, param: string, code?: string): ApiError {
  return invalidRequest(message, { code, param, stored: false });
}

export function notFound(kind: string, id: string, param: string): ApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: "resource_missing", param, status: 404 });
}

export function unexpectedState(message: string): ApiError {
  return invalidRequest(message, { code: "payment_intent_unexpected_state" });
}

export function withDocUrl(code: string): string {
  return docUrl(code);
}
