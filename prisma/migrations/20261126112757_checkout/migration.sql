-- CreateTable
CREATE TABLE "checkout_sessions" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "line_items" JSONB NOT NULL,
    "success_url" TEXT,
    "cancel_url" TEXT,
    "customer_id" TEXT,
    "wallet_account_id" TEXT,
    "payment_id" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "idempotency_key" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkout_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "checkout_sessions_payment_id_key" ON "checkout_sessions"("payment_id");

-- CreateIndex
CREATE INDEX "checkout_sessions_merchant_id_id_idx" ON "checkout_sessions"("merchant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "checkout_sessions_merchant_id_idempotency_key_key" ON "checkout_sessions"("merchant_id", "idempotency_key");

-- Hand-written: what the schema language cannot say.
ALTER TABLE "checkout_sessions" ADD CONSTRAINT "checkout_sessions_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "checkout_sessions" ADD CONSTRAINT "checkout_sessions_status_known" CHECK ("status" IN ('open', 'complete', 'expired'));
ALTER TABLE "checkout_sessions" ADD CONSTRAINT "checkout_sessions_attempt_non_negative" CHECK ("attempt" >= 0);
