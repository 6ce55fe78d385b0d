-- CreateEnum
CREATE TYPE "ReconciliationRunState" AS ENUM ('pending', 'fetching', 'staged', 'matched', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "DiscrepancyClass" AS ENUM ('missing_in_settle', 'missing_at_psp', 'missing_in_ledger', 'amount_mismatch', 'currency_mismatch', 'status_mismatch', 'fee_mismatch', 'duplicate', 'timing');

-- CreateEnum
CREATE TYPE "DiscrepancyStatus" AS ENUM ('open', 'resolved');

-- CreateTable
CREATE TABLE "reconciliation_runs" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "currency_scope" VARCHAR(3) NOT NULL,
    "version" INTEGER NOT NULL,
    "is_current" BOOLEAN NOT NULL DEFAULT false,
    "state" "ReconciliationRunState" NOT NULL DEFAULT 'pending',
    "source" TEXT NOT NULL,
    "report_filename" TEXT,
    "report_sha256" TEXT,
    "checkpoint" JSONB NOT NULL DEFAULT '{}',
    "totals" JSONB,
    "psp_record_count" BIGINT NOT NULL DEFAULT 0,
    "settle_record_count" BIGINT NOT NULL DEFAULT 0,
    "matched_count" BIGINT NOT NULL DEFAULT 0,
    "discrepancy_count" BIGINT NOT NULL DEFAULT 0,
    "unexplained_count" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "requested_by_type" TEXT NOT NULL,
    "requested_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "duration_ms" INTEGER,

    CONSTRAINT "reconciliation_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_psp_records" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "balance_transaction_id" TEXT NOT NULL,
    "reporting_category" TEXT NOT NULL,
    "type" TEXT,
    "source_id" TEXT,
    "charge_id" TEXT,
    "payment_intent_id" TEXT,
    "settle_ref" TEXT,
    "settle_merchant_ref" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "available_on" TIMESTAMPTZ(3),
    "currency" CHAR(3) NOT NULL,
    "gross" BIGINT NOT NULL,
    "fee" BIGINT NOT NULL,
    "net" BIGINT NOT NULL,
    "exchange_rate" DECIMAL(38,18),
    "customer_facing_amount" BIGINT,
    "customer_facing_currency" CHAR(3),
    "status" TEXT,
    "payout_id" TEXT,

    CONSTRAINT "reconciliation_psp_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_discrepancies" (
    "id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "class" "DiscrepancyClass" NOT NULL,
    "leg" TEXT NOT NULL,
    "status" "DiscrepancyStatus" NOT NULL DEFAULT 'open',
    "fingerprint" TEXT NOT NULL,
    "object_type" TEXT NOT NULL,
    "settle_id" TEXT,
    "psp_reference" TEXT,
    "balance_transaction_id" TEXT,
    "psp_currency" CHAR(3),
    "psp_amount" BIGINT,
    "settle_currency" CHAR(3),
    "settle_amount" BIGINT,
    "difference" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "occurred_at" TIMESTAMPTZ(3),
    "match_method" TEXT,
    "checks" JSONB,
    "psp_record" JSONB,
    "settle_record" JSONB,
    "suggested_action" TEXT NOT NULL,
    "suggestion" TEXT NOT NULL,
    "resolution" TEXT,
    "resolution_note" TEXT,
    "adjustment_transaction_id" TEXT,
    "resolved_by_type" TEXT,
    "resolved_by_id" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "carried_from_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reconciliation_discrepancies_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reconciliation_runs_merchant_id_id_idx" ON "reconciliation_runs"("merchant_id", "id");

-- CreateIndex
CREATE INDEX "reconciliation_runs_merchant_id_is_current_period_start_idx" ON "reconciliation_runs"("merchant_id", "is_current", "period_start");

-- CreateIndex
CREATE INDEX "reconciliation_runs_state_updated_at_idx" ON "reconciliation_runs"("state", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "reconciliation_runs_merchant_id_period_start_period_end_cur_key" ON "reconciliation_runs"("merchant_id", "period_start", "period_end", "currency_scope", "version");

-- CreateIndex
CREATE INDEX "reconciliation_psp_records_run_id_source_id_idx" ON "reconciliation_psp_records"("run_id", "source_id");

-- CreateIndex
CREATE INDEX "reconciliation_psp_records_run_id_balance_transaction_id_idx" ON "reconciliation_psp_records"("run_id", "balance_transaction_id");

-- CreateIndex
CREATE INDEX "reconciliation_discrepancies_run_id_id_idx" ON "reconciliation_discrepancies"("run_id", "id");

-- CreateIndex
CREATE INDEX "reconciliation_discrepancies_run_id_class_id_idx" ON "reconciliation_discrepancies"("run_id", "class", "id");

-- CreateIndex
CREATE INDEX "reconciliation_discrepancies_run_id_status_id_idx" ON "reconciliation_discrepancies"("run_id", "status", "id");

-- CreateIndex
CREATE INDEX "reconciliation_discrepancies_merchant_id_fingerprint_idx" ON "reconciliation_discrepancies"("merchant_id", "fingerprint");

-- AddForeignKey
ALTER TABLE "reconciliation_discrepancies" ADD CONSTRAINT "reconciliation_discrepancies_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "reconciliation_runs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
