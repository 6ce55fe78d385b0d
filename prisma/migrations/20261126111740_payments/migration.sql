-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('initiated', 'review', 'pending', 'authorized', 'captured', 'settled', 'failed', 'canceled', 'refunded', 'refund_settled', 'chargeback');

-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('pending_approval', 'pending', 'succeeded', 'failed', 'canceled');

-- CreateTable
CREATE TABLE "merchant_data_keys" (
    "merchant_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "wrapped_key" BYTEA NOT NULL,
    "key_provider" TEXT NOT NULL,
    "kek_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rewrapped_at" TIMESTAMPTZ(3),

    CONSTRAINT "merchant_data_keys_pkey" PRIMARY KEY ("merchant_id","version")
);

-- CreateTable
CREATE TABLE "customer_data_keys" (
    "customer_id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "merchant_key_version" INTEGER NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_data_keys_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "audit_sealer_state" (
    "id" INTEGER NOT NULL,
    "watermark_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_sealer_state_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "email_index" BYTEA,
    "name_encrypted" BYTEA,
    "email_encrypted" BYTEA,
    "phone_encrypted" BYTEA,
    "address_encrypted" BYTEA,
    "ip_addresses_encrypted" BYTEA,
    "metadata_encrypted" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_active_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "erased_at" TIMESTAMPTZ(3),

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "customer_id" TEXT,
    "amount" BIGINT NOT NULL,
    "amount_captured" BIGINT NOT NULL DEFAULT 0,
    "amount_refunded" BIGINT NOT NULL DEFAULT 0,
    "amount_refund_reserved" BIGINT NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL,
    "status" "PaymentStatus" NOT NULL DEFAULT 'initiated',
    "capture_method" TEXT NOT NULL,
    "payment_method_type" TEXT NOT NULL,
    "payment_method" TEXT NOT NULL,
    "payment_method_details" JSONB,
    "description" TEXT,
    "statement_descriptor" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "idempotency_key" TEXT NOT NULL,
    "psp_payment_intent_id" TEXT,
    "psp_charge_id" TEXT,
    "failure_code" TEXT,
    "failure_message" TEXT,
    "decline_code" TEXT,
    "receipt_number" TEXT NOT NULL,
    "receipt_token" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "risk_score" INTEGER,
    "risk_outcome" TEXT,
    "risk_reasons" JSONB,
    "fee_amount" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pending_at" TIMESTAMPTZ(3),
    "review_at" TIMESTAMPTZ(3),
    "authorized_at" TIMESTAMPTZ(3),
    "captured_at" TIMESTAMPTZ(3),
    "settled_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "canceled_at" TIMESTAMPTZ(3),
    "refunded_at" TIMESTAMPTZ(3),
    "refund_settled_at" TIMESTAMPTZ(3),
    "chargeback_at" TIMESTAMPTZ(3),

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_events" (
    "id" BIGSERIAL NOT NULL,
    "payment_id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "from_status" "PaymentStatus",
    "to_status" "PaymentStatus" NOT NULL,
    "version" INTEGER NOT NULL,
    "reason" TEXT,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "data" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refunds" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "payment_id" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "RefundStatus" NOT NULL,
    "reason" TEXT,
    "idempotency_key" TEXT,
    "psp_refund_id" TEXT,
    "failure_reason" TEXT,
    "requested_by" TEXT,
    "approved_by" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "succeeded_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "refunds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "disputes" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "payment_id" TEXT NOT NULL,
    "psp_dispute_id" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "evidence_due_by" TIMESTAMPTZ(3),
    "evidence" JSONB,
    "fee_amount" BIGINT NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "disputes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_status_transitions" (
    "from_status" "PaymentStatus" NOT NULL,
    "to_status" "PaymentStatus" NOT NULL,

    CONSTRAINT "payment_status_transitions_pkey" PRIMARY KEY ("from_status","to_status")
);

-- CreateIndex
CREATE INDEX "merchant_data_keys_kek_version_idx" ON "merchant_data_keys"("kek_version");

-- CreateIndex
CREATE INDEX "customer_data_keys_merchant_id_idx" ON "customer_data_keys"("merchant_id");

-- CreateIndex
CREATE INDEX "customers_merchant_id_id_idx" ON "customers"("merchant_id", "id");

-- CreateIndex
CREATE INDEX "customers_merchant_id_email_index_idx" ON "customers"("merchant_id", "email_index");

-- CreateIndex
CREATE INDEX "customers_last_active_at_idx" ON "customers"("last_active_at");

-- CreateIndex
CREATE UNIQUE INDEX "payments_psp_payment_intent_id_key" ON "payments"("psp_payment_intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "payments_receipt_number_key" ON "payments"("receipt_number");

-- CreateIndex
CREATE UNIQUE INDEX "payments_receipt_token_key" ON "payments"("receipt_token");

-- CreateIndex
CREATE INDEX "payments_merchant_id_id_idx" ON "payments"("merchant_id", "id");

-- CreateIndex
CREATE INDEX "payments_merchant_id_status_id_idx" ON "payments"("merchant_id", "status", "id");

-- CreateIndex
CREATE INDEX "payments_merchant_id_customer_id_id_idx" ON "payments"("merchant_id", "customer_id", "id");

-- CreateIndex
CREATE INDEX "payments_merchant_id_created_at_idx" ON "payments"("merchant_id", "created_at");

-- CreateIndex
CREATE INDEX "payments_status_updated_at_idx" ON "payments"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "payments_merchant_id_idempotency_key_key" ON "payments"("merchant_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "payment_events_payment_id_id_idx" ON "payment_events"("payment_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "refunds_psp_refund_id_key" ON "refunds"("psp_refund_id");

-- CreateIndex
CREATE INDEX "refunds_merchant_id_id_idx" ON "refunds"("merchant_id", "id");

-- CreateIndex
CREATE INDEX "refunds_payment_id_idx" ON "refunds"("payment_id");

-- CreateIndex
CREATE INDEX "refunds_status_updated_at_idx" ON "refunds"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "refunds_merchant_id_idempotency_key_key" ON "refunds"("merchant_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "disputes_psp_dispute_id_key" ON "disputes"("psp_dispute_id");

-- CreateIndex
CREATE INDEX "disputes_merchant_id_id_idx" ON "disputes"("merchant_id", "id");

-- CreateIndex
CREATE INDEX "disputes_payment_id_idx" ON "disputes"("payment_id");

-- AddForeignKey
ALTER TABLE "customer_data_keys" ADD CONSTRAINT "customer_data_keys_merchant_id_merchant_key_version_fkey" FOREIGN KEY ("merchant_id", "merchant_key_version") REFERENCES "merchant_data_keys"("merchant_id", "version") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_data_keys" ADD CONSTRAINT "customer_data_keys_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "disputes" ADD CONSTRAINT "disputes_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: the state machine in the database. Any status change not listed is rejected, so no
-- illegal transition can commit whatever the code does. Keep in sync with lib/payments/state-machine.ts
-- (a test compares them).
INSERT INTO "payment_status_transitions" ("from_status", "to_status") VALUES
  ('initiated', 'pending'),
  ('initiated', 'review'),
  ('initiated', 'failed'),
  ('initiated', 'canceled'),
  ('review', 'pending'),
  ('review', 'canceled'),
  ('pending', 'authorized'),
  ('pending', 'failed'),
  ('pending', 'canceled'),
  ('authorized', 'captured'),
  ('authorized', 'failed'),
  ('authorized', 'canceled'),
  ('captured', 'settled'),
  ('captured', 'refunded'),
  ('captured', 'chargeback'),
  ('settled', 'refunded'),
  ('settled', 'chargeback'),
  ('refunded', 'refund_settled'),
  ('chargeback', 'settled');

CREATE FUNCTION payments_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT EXISTS (
    SELECT 1 FROM payment_status_transitions WHERE from_status = OLD.status AND to_status = NEW.status
  ) THEN
    RAISE EXCEPTION 'invalid_state_transition: payment % cannot go from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER payments_guard_transition
  BEFORE UPDATE OF status ON payments
  FOR EACH ROW EXECUTE FUNCTION payments_guard_transition();

-- Amount invariants: never refund more than captured, never capture more than authorised.
ALTER TABLE payments ADD CONSTRAINT payments_amounts_valid CHECK (
  amount > 0 AND amount_captured >= 0 AND amount_captured <= amount
  AND amount_refunded >= 0 AND amount_refunded <= amount_captured
  AND amount_refund_reserved >= amount_refunded AND amount_refund_reserved <= amount_captured
);
ALTER TABLE refunds ADD CONSTRAINT refunds_amount_positive CHECK (amount > 0);
ALTER TABLE disputes ADD CONSTRAINT disputes_amount_positive CHECK (amount > 0);
