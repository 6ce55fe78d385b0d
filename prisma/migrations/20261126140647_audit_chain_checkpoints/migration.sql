-- CreateTable
CREATE TABLE "audit_chain_checkpoints" (
    "chain" TEXT NOT NULL,
    "verified_seq" BIGINT,
    "verified_hash" TEXT,
    "verified_count" BIGINT NOT NULL DEFAULT 0,
    "broken_seq" BIGINT,
    "broken_id" TEXT,
    "broken_reason" TEXT,
    "full_verified_at" TIMESTAMPTZ(3),
    "checked_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_chain_checkpoints_pkey" PRIMARY KEY ("chain")
);
