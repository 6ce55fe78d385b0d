-- CreateEnum
CREATE TYPE "RiskListType" AS ENUM ('allow', 'block');

-- CreateEnum
CREATE TYPE "RiskListKind" AS ENUM ('email', 'card_fingerprint', 'ip', 'country');

-- CreateEnum
CREATE TYPE "ReviewSubjectType" AS ENUM ('payment', 'transfer');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('pending', 'approved', 'rejected');

-- CreateTable
CREATE TABLE "risk_settings" (
    "merchant_id" TEXT NOT NULL,
    "review_threshold" INTEGER NOT NULL DEFAULT 50,
    "block_threshold" INTEGER NOT NULL DEFAULT 80,
    "rules" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_settings_pkey" PRIMARY KEY ("merchant_id")
);

-- CreateTable
CREATE TABLE "risk_list_entries" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "list_type" "RiskListType" NOT NULL,
    "kind" "RiskListKind" NOT NULL,
    "value" TEXT NOT NULL,
    "note" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_list_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_payment_attempts" (
    "id" BIGSERIAL NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "payment_id" TEXT NOT NULL,
    "customer_id" TEXT,
    "email" TEXT,
    "card_fingerprint" TEXT,
    "ip_address" TEXT,
    "ip_country" CHAR(2),
    "billing_country" CHAR(2),
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_usd_minor" BIGINT,
    "payment_method_type" TEXT NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_payment_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_assessments" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT,
    "outcome" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "reasons" JSONB NOT NULL,
    "features" JSONB NOT NULL,
    "model_version" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_assessments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "aml_transfers" (
    "id" BIGSERIAL NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "transfer_id" TEXT NOT NULL,
    "customer_id" TEXT,
    "from_account_id" TEXT NOT NULL,
    "to_account_id" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amount_usd_minor" BIGINT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "aml_transfers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sanctions_entries" (
    "id" BIGSERIAL NOT NULL,
    "list_id" TEXT NOT NULL,
    "entry_ref" TEXT NOT NULL,
    "listed_name" TEXT NOT NULL,
    "normalized_name" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sanctions_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reviews" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "subject_type" "ReviewSubjectType" NOT NULL,
    "subject_id" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "amount_minor" BIGINT,
    "currency" CHAR(3),
    "status" "ReviewStatus" NOT NULL DEFAULT 'pending',
    "decided_by" TEXT,
    "reason" TEXT,
    "handler_status" TEXT NOT NULL DEFAULT 'none',
    "handler_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reviews_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "risk_list_entries_merchant_id_kind_value_idx" ON "risk_list_entries"("merchant_id", "kind", "value");

-- CreateIndex
CREATE UNIQUE INDEX "risk_list_entries_merchant_id_list_type_kind_value_key" ON "risk_list_entries"("merchant_id", "list_type", "kind", "value");

-- CreateIndex
CREATE INDEX "risk_payment_attempts_merchant_id_card_fingerprint_occurred_idx" ON "risk_payment_attempts"("merchant_id", "card_fingerprint", "occurred_at");

-- CreateIndex
CREATE INDEX "risk_payment_attempts_merchant_id_customer_id_occurred_at_idx" ON "risk_payment_attempts"("merchant_id", "customer_id", "occurred_at");

-- CreateIndex
CREATE INDEX "risk_payment_attempts_merchant_id_email_occurred_at_idx" ON "risk_payment_attempts"("merchant_id", "email", "occurred_at");

-- CreateIndex
CREATE INDEX "risk_payment_attempts_merchant_id_ip_address_occurred_at_idx" ON "risk_payment_attempts"("merchant_id", "ip_address", "occurred_at");

-- CreateIndex
CREATE INDEX "risk_assessments_merchant_id_created_at_idx" ON "risk_assessments"("merchant_id", "created_at");

-- CreateIndex
CREATE INDEX "risk_assessments_subject_id_idx" ON "risk_assessments"("subject_id");

-- CreateIndex
CREATE INDEX "aml_transfers_merchant_id_customer_id_occurred_at_idx" ON "aml_transfers"("merchant_id", "customer_id", "occurred_at");

-- CreateIndex
CREATE INDEX "aml_transfers_merchant_id_to_account_id_occurred_at_idx" ON "aml_transfers"("merchant_id", "to_account_id", "occurred_at");

-- CreateIndex
CREATE INDEX "aml_transfers_merchant_id_from_account_id_occurred_at_idx" ON "aml_transfers"("merchant_id", "from_account_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "aml_transfers_merchant_id_transfer_id_key" ON "aml_transfers"("merchant_id", "transfer_id");

-- CreateIndex
CREATE INDEX "sanctions_entries_list_id_idx" ON "sanctions_entries"("list_id");

-- CreateIndex
CREATE INDEX "reviews_merchant_id_status_id_idx" ON "reviews"("merchant_id", "status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "reviews_merchant_id_subject_type_subject_id_key" ON "reviews"("merchant_id", "subject_type", "subject_id");
