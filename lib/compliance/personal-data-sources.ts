// Where personal data is held. Two registries: export sources (below: each domain registers what it holds
// for one customer, for GDPR exports; ids and references, never re-identifying erased customers), and the
// static list of personal-data columns at rest with their protection (PERSONAL_DATA_COLUMNS, further down).
import type { Db } from "@/lib/db/client";

export type PersonalDataSource = {
  /** Key of the section in the export, e.g. "payments". */
  name: string;
  collect: (input: { merchantId: string; customerId: string; client: Db }) => Promise<unknown>;
};

const sources = new Map<string, PersonalDataSource>();

export function registerPersonalDataSource(source: PersonalDataSource): void {
  sources.set(source.name, source);
}

export function listPersonalDataSources(): PersonalDataSource[] {
  return [...sources.values()];
}

// ---------------------------------------------------------------------------------------------------
// Where personal data lives at rest: every column that holds (or may hold) personal data, how it is
// protected, and why. personal-data-registry.integration.test.ts fails on any column whose name looks
// personal (PERSONAL_COLUMN_NAME) that is not listed here, so a new plaintext email/IP/name/address
// column cannot slip in unnoticed: encrypt it, pseudonymise it, or record here why it is exempt.

export type PersonalDataProtection =
  /** AES-256-GCM under the customer's (or merchant's) data key; erasure shreds the customer's. */
  | "encrypted"
  /** A keyed pseudonym (HMAC under a merchant blind-index key) or a third party's opaque token. */
  | "pseudonymised"
  /** Plaintext, deliberately: the reason says why (legal basis, not a customer's data, public data). */
  | "exempt";

export type PersonalDataColumn = { table: string; column: string; protection: PersonalDataProtection; reason: string };

/** Column names that suggest personal data (snake_case words). */
export const PERSONAL_COLUMN_NAME =
  /(^|_)(e?mail|email|ip|ips|ip_address|ip_addresses|phone|mobile|name|first_name|last_name|full_name|address|addresses|street|line1|line2|postal|postal_code|zip|city|user_agent|birth|dob|ssn|tax_id|national_id|passport|iban|holder)(_|$)/;

const CUSTOMER_FIELD = "customer personal field, under the customer's data key (AAD customers|id|column); erasure drops the key";
const STAFF = "merchant staff account (the dashboard user), not a customer: needed to sign in and to attribute actions; deleted with the user";
const AUDIT =
  "actor of an audited action (staff user or API client): security logging (GDPR Art. 6(1)(f)); the log is append-only and hash-chained, so it cannot be erased; never holds customer fields";

export const PERSONAL_DATA_COLUMNS: readonly PersonalDataColumn[] = [
  { table: "customers", column: "name_encrypted", protection: "encrypted", reason: CUSTOMER_FIELD },
  { table: "customers", column: "email_encrypted", protection: "encrypted", reason: CUSTOMER_FIELD },
  { table: "customers", column: "phone_encrypted", protection: "encrypted", reason: CUSTOMER_FIELD },
  { table: "customers", column: "address_encrypted", protection: "encrypted", reason: CUSTOMER_FIELD },
  { table: "customers", column: "ip_addresses_encrypted", protection: "encrypted", reason: CUSTOMER_FIELD },
  { table: "customers", column: "metadata_encrypted", protection: "encrypted", reason: CUSTOMER_FIELD },
  { table: "customers", column: "email_index", protection: "pseudonymised", reason: "blind index (HMAC, purpose customers.email) for lookup by email; cleared on erasure" },
  { table: "email_messages", column: "to_address_encrypted", protection: "encrypted", reason: "outbox recipient, under the customer's key (else the merchant's); erasure clears it" },
  { table: "email_messages", column: "body_encrypted", protection: "encrypted", reason: "rendered receipt (name, email), under the customer's key (else the merchant's); erasure clears it" },
  { table: "email_messages", column: "from_address", protection: "exempt", reason: "Settle's configured sender address (EMAIL_FROM), not a person's" },
  { table: "risk_payment_attempts", column: "email_hmac", protection: "pseudonymised", reason: "fraud velocity: HMAC (purpose risk_payment_attempts.email); erasure clears it" },
  { table: "risk_payment_attempts", column: "ip_address_hmac", protection: "pseudonymised", reason: "fraud velocity: HMAC (purpose risk_payment_attempts.ip_address); erasure clears it" },
  { table: "risk_payment_attempts", column: "card_fingerprint", protection: "pseudonymised", reason: "the PSP's opaque card fingerprint (no card data); erasure clears it" },
  { table: "risk_payment_attempts", column: "ip_country", protection: "exempt", reason: "country derived from the IP (geolocation rules need it in the clear; too coarse to single anyone out); erasure clears it" },
  { table: "risk_payment_attempts", column: "billing_country", protection: "exempt", reason: "billing country only (mismatch rule); erasure clears it" },
  { table: "risk_list_entries", column: "value", protection: "exempt", reason: "merchant-entered allow/block-list values (may be an email or IP): matched by suffix and shown to the merchant, so plaintext; removed by the merchant (DELETE /api/v1/risk/lists/:id)" },
  { table: "audit_events", column: "ip", protection: "exempt", reason: AUDIT },
  { table: "audit_events", column: "user_agent", protection: "exempt", reason: AUDIT },
  { table: "users", column: "email", protection: "exempt", reason: STAFF },
  { table: "users", column: "name", protection: "exempt", reason: STAFF },
  { table: "sign_in_attempts", column: "email", protection: "exempt", reason: "staff sign-in throttling (security, Art. 6(1)(f)): the email typed at sign-in, compared in plaintext; staff, not customers" },
  { table: "sign_in_attempts", column: "ip", protection: "exempt", reason: "staff sign-in throttling per IP (security, Art. 6(1)(f)); staff, not customers" },
  { table: "merchants", column: "name", protection: "exempt", reason: "the merchant's business name, shown on receipts and checkout" },
  { table: "api_keys", column: "name", protection: "exempt", reason: "a label the merchant gives an API key" },
  { table: "ledger_accounts", column: "name", protection: "exempt", reason: "account label set by the merchant; a wallet's owner is customer_ref (a pseudonymous customer id)" },
  { table: "ledger_checkpoints", column: "name", protection: "exempt", reason: "name of a background check, not a person" },
  { table: "sanctions_entries", column: "listed_name", protection: "exempt", reason: "public sanctions list loaded by the operator (screening needs the names)" },
  { table: "sanctions_entries", column: "normalized_name", protection: "exempt", reason: "public sanctions list, normalised for fuzzy matching" },
  { table: "disputes", column: "evidence", protection: "exempt", reason: "dispute evidence sent to the PSP (may name the customer): kept to defend a legal claim (Art. 17(3)(e)); not yet encrypted (open)" },
  { table: "dispute_evidence_files", column: "content", protection: "exempt", reason: "evidence files uploaded for a dispute (receipts, correspondence; may name the customer): kept to defend a legal claim (Art. 17(3)(e)); every upload and download audited; not yet encrypted (open)" },
  { table: "dispute_evidence_files", column: "filename", protection: "exempt", reason: "the uploaded file's name (may name the customer): kept with the evidence (Art. 17(3)(e)); never written to the audit log" },
  { table: "idempotency_keys", column: "response_body", protection: "exempt", reason: "stored API responses, replayed for 24 h (IDEMPOTENCY_KEY_TTL_HOURS); customer routes do not echo personal data" },
];
