-- CreateTable
CREATE TABLE "psp_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "object_id" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "psp_created_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "psp_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_psp_states" (
    "payment_id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "psp_status" TEXT NOT NULL,
    "next_action" JSONB,
    "exchange_rate" TEXT,
    "settlement_currency" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_psp_states_pkey" PRIMARY KEY ("payment_id")
);

-- CreateTable
CREATE TABLE "payment_receipt_counters" (
    "merchant_id" TEXT NOT NULL,
    "prefix" SERIAL NOT NULL,
    "last_number" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "payment_receipt_counters_pkey" PRIMARY KEY ("merchant_id")
);

-- CreateIndex
CREATE INDEX "psp_events_status_next_attempt_at_idx" ON "psp_events"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "psp_events_object_id_idx" ON "psp_events"("object_id");

-- CreateIndex
CREATE INDEX "payment_psp_states_merchant_id_idx" ON "payment_psp_states"("merchant_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_receipt_counters_prefix_key" ON "payment_receipt_counters"("prefix");

-- Hand-written: receipt prefixes start at 1000 so receipt numbers look like 1042-0007.
ALTER SEQUENCE "payment_receipt_counters_prefix_seq" RESTART WITH 1000;
