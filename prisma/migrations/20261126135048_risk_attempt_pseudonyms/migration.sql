-- risk_payment_attempts kept the email and IP address of every attempt in plaintext, outside the envelope
-- encryption and untouched by erasure. They become keyed pseudonyms (HMAC-SHA256 under the merchant's
-- blind-index key, written by recordPaymentAttempt). Existing values are dropped, not migrated: SQL cannot
-- compute the HMAC (the key is only available to the application, unwrapped by the KEK), and a one-off
-- migration step would keep the plaintext readable until someone runs it. What is lost is bounded: the
-- history look-back is 30 days and velocity windows are hours; card and customer links are unchanged.
-- DropIndex
DROP INDEX "risk_payment_attempts_merchant_id_email_occurred_at_idx";

-- DropIndex
DROP INDEX "risk_payment_attempts_merchant_id_ip_address_occurred_at_idx";

-- AlterTable
ALTER TABLE "risk_payment_attempts" DROP COLUMN "email",
DROP COLUMN "ip_address",
ADD COLUMN     "email_hmac" BYTEA,
ADD COLUMN     "ip_address_hmac" BYTEA;

-- CreateIndex
CREATE INDEX "risk_payment_attempts_merchant_id_email_hmac_occurred_at_idx" ON "risk_payment_attempts"("merchant_id", "email_hmac", "occurred_at");

-- CreateIndex
CREATE INDEX "risk_payment_attempts_merchant_id_ip_address_hmac_occurred__idx" ON "risk_payment_attempts"("merchant_id", "ip_address_hmac", "occurred_at");

-- A pseudonym is exactly one SHA-256 digest: the columns cannot carry plaintext by mistake.
ALTER TABLE "risk_payment_attempts"
  ADD CONSTRAINT "risk_payment_attempts_email_hmac_is_digest" CHECK ("email_hmac" IS NULL OR octet_length("email_hmac") = 32),
  ADD CONSTRAINT "risk_payment_attempts_ip_address_hmac_is_digest" CHECK ("ip_address_hmac" IS NULL OR octet_length("ip_address_hmac") = 32);
