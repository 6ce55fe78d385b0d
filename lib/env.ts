// The one place that reads process.env: every setting, validated once, with the variable named on error.
import { z } from "zod";

const ZBooleanString = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

/**
 * Shortest retention of the fraud attempt history (risk_payment_attempts), in days: the longest window
 * anything reads it with. The fraud rules and the model look back 30 days (HISTORY_LOOKBACK_DAYS in
 * lib/fraud/gather-payment-facts.ts; velocity windows are capped at 30 days); AML structuring reads a
 * customer's payments over a per-merchant window of up to 90 days (lib/compliance/aml/aml-config.ts).
 */
export const FRAUD_ATTEMPT_RETENTION_MIN_DAYS = 90;

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** PostgreSQL connection string. `npm start` and the tests provide one when you don't. */
  DATABASE_URL: z.string().url().refine((url) => /^postgres(ql)?:/.test(url), "must be a postgresql:// URL"),
  /** Pool size of the application's PostgreSQL connections, per process. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** Statement timeout for application queries, in milliseconds. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Back-pressure: mutating API calls answer 503 when more background jobs than this are due (0 = off). */
  QUEUE_BACKLOG_MAX: z.coerce.number().int().min(0).default(10_000),
  /** Port of the web app. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public base URL of the web app (links in emails, checkout return URLs, webhook intake). */
  APP_URL: z.string().url().default("http://localhost:3000"),
  /** Secret that signs dashboard session cookies (at least 32 characters). */
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** Real Stripe secret key. Leave empty to use the bundled PSP sandbox. */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, "must start with sk_test_, sk_live_ or rk_").optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_/, "must start with pk_test_ or pk_live_").optional(),
  /** Signing secret of Settle's webhook endpoint at the PSP. */
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_").default("whsec_settle_sandbox_secret"),
  /** URL of the PSP sandbox, used when STRIPE_SECRET_KEY is not set. */
  PSP_SANDBOX_URL: z.string().url().default("http://127.0.0.1:12111"),
  /** Base64 of 32 random bytes: the key-encryption key of the local key provider. */
  ENCRYPTION_KEK: z
    .string()
    .refine((value) => Buffer.from(value, "base64").length === 32, "must be base64 of exactly 32 bytes")
    .optional(),
  /** Version number of ENCRYPTION_KEK; bump it when you rotate (see lib/compliance/encryption/rotate-kek.ts). */
  ENCRYPTION_KEK_VERSION: z.coerce.number().int().min(1).default(1),
  /** Previous KEKs still needed to unwrap keys during a rotation: "version:base64,version:base64". */
  ENCRYPTION_KEKS_RETIRED: z
    .string()
    .regex(/^\d+:[A-Za-z0-9+/=]+(,\d+:[A-Za-z0-9+/=]+)*$/, "must be version:base64 pairs separated by commas")
    .optional(),
  /** Which key provider wraps data keys: "local" (ENCRYPTION_KEK) or "kms" (not configured in this build). */
  ENCRYPTION_KEY_PROVIDER: z.enum(["local", "kms"]).default("local"),
  /** Days after a customer's last activity before their personal data is erased by the retention job. */
  PERSONAL_DATA_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(1095),
  /** Ambiguous PSP outcomes in a row that open the circuit breaker (fail fast for 10 s); 0 = off. */
  PSP_CIRCUIT_BREAKER_THRESHOLD: z.coerce.number().int().min(0).max(1000).default(0),
  /** Days a finished reconciliation run keeps its staged PSP rows; its report (run, discrepancies) is kept. */
  RECONCILIATION_STAGING_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** Days a payment attempt stays in the fraud history (risk_payment_attempts) before the hourly purge. */
  FRAUD_ATTEMPT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(
      FRAUD_ATTEMPT_RETENTION_MIN_DAYS,
      `must be at least ${FRAUD_ATTEMPT_RETENTION_MIN_DAYS} days: the fraud rules look back 30 days and AML structuring windows reach ${FRAUD_ATTEMPT_RETENTION_MIN_DAYS} days`,
    )
    .max(36_500)
    .default(FRAUD_ATTEMPT_RETENTION_MIN_DAYS),
  /** Hours an Idempotency-Key and its stored response are kept. */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(24),
  /** Largest accepted API request body, in bytes. */
  API_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  /** Failed sign-ins allowed per email (and per IP ×4) in the window before sign-in is refused. */
  SIGN_IN_FAILURES_MAX: z.coerce.number().int().min(1).default(5),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Cookies marked Secure; on by default when APP_URL is https. */
  COOKIE_SECURE: ZBooleanString.optional(),
  /** SMTP server for outgoing email (receipts): smtp://user:pass@host:587 or smtps://…:465. Unset: kept in the local outbox (Developers → Emails). */
  SMTP_URL: z.string().url().refine((url) => /^smtps?:\/\//.test(url), "must be an smtp:// or smtps:// URL").optional(),
  /** Days finished outbox emails (sent, stored, skipped, failed; their sealed address and body) are kept. */
  EMAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  /** Sender of outgoing email. */
  EMAIL_FROM: z.string().min(3).default("Settle receipts <receipts@settle.localhost>"),
  /** Allow merchant webhook endpoints on private networks (10/8, 172.16/12, 192.168/16, …); loopback is always allowed outside production. */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: ZBooleanString.default(false),
  /** Refunds above this amount (minor units, any currency) made on the admin refund screen wait for a second admin's approval. */
  REFUND_APPROVAL_THRESHOLD_MINOR: z.coerce.bigint().refine((value) => value >= 0n, "must be 0 or more").default(50_000n),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof ZEnv>;

let cached: Env | undefined;

export class EnvError extends Error {}

/** Parses the environment once; a wrong or missing value stops start-up with the variable's name. */
export function getEnv(source: NodeJS.ProcessEnv = process.env): Env {
  if (cached && source === process.env) return cached;
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = ZEnv.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new EnvError(`Invalid configuration:\n${problems}\nSee .env.example for every variable.`);
  }
  if (source === process.env) cached = result.data;
  return result.data;
}

/** For the operator CLI: the configuration with secrets masked. */
export function describeEnv(env: Env): Record<string, string> {
  const secretNames = new Set(["SMTP_URL", "AUTH_SECRET", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "ENCRYPTION_KEK", "ENCRYPTION_KEKS_RETIRED"]);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const text = String(value);
    if (secretNames.has(name)) out[name] = text.length > 8 ? `${text.slice(0, 6)}…(${text.length} chars)` : "****";
    else if (name === "DATABASE_URL") out[name] = text.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:****@");
    else out[name] = text;
  }
  return out;
}

/** Whether Settle talks to the bundled PSP sandbox rather than real Stripe. */
export function usesPspSandbox(env: Env = getEnv()): boolean {
  return !env.STRIPE_SECRET_KEY;
}
