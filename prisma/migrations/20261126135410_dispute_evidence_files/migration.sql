-- CreateTable
CREATE TABLE "dispute_evidence_files" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "dispute_id" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "uploaded_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_at" TIMESTAMPTZ(3),

    CONSTRAINT "dispute_evidence_files_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "dispute_evidence_files_merchant_id_dispute_id_idx" ON "dispute_evidence_files"("merchant_id", "dispute_id");

-- CreateIndex
CREATE UNIQUE INDEX "dispute_evidence_files_dispute_id_sha256_key" ON "dispute_evidence_files"("dispute_id", "sha256");

-- Hand-written: what the schema language cannot say. The stored bytes are what the row claims (size,
-- one of the three sniffed types, a hex SHA-256), at most 4.5 MB (Stripe's dispute evidence limit).
ALTER TABLE dispute_evidence_files ADD CONSTRAINT dispute_evidence_files_content_valid CHECK (
  size_bytes > 0 AND size_bytes <= 4718592 AND size_bytes = octet_length(content)
  AND content_type IN ('application/pdf', 'image/png', 'image/jpeg')
  AND sha256 ~ '^[0-9a-f]{64}$'
);

-- The dispute must exist and belong to the same merchant (no Prisma relation, see disputes.prisma);
-- the content of a stored file never changes.
CREATE FUNCTION dispute_evidence_files_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND (NEW.content IS DISTINCT FROM OLD.content OR NEW.sha256 IS DISTINCT FROM OLD.sha256
      OR NEW.dispute_id IS DISTINCT FROM OLD.dispute_id OR NEW.merchant_id IS DISTINCT FROM OLD.merchant_id) THEN
    RAISE EXCEPTION 'dispute evidence file % is immutable', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM disputes d WHERE d.id = NEW.dispute_id AND d.merchant_id = NEW.merchant_id) THEN
    RAISE EXCEPTION 'dispute % of merchant % does not exist', NEW.dispute_id, NEW.merchant_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER dispute_evidence_files_guard
  BEFORE INSERT OR UPDATE ON dispute_evidence_files
  FOR EACH ROW EXECUTE FUNCTION dispute_evidence_files_guard();
