-- AlterTable
ALTER TABLE "email_messages" ADD COLUMN     "attempt_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3),
ALTER COLUMN "to_address" DROP NOT NULL,
ALTER COLUMN "from_address" DROP NOT NULL,
ALTER COLUMN "subject" DROP NOT NULL,
ALTER COLUMN "text_body" DROP NOT NULL,
ALTER COLUMN "html_body" DROP NOT NULL,
ALTER COLUMN "transport" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "email_messages_status_next_attempt_at_idx" ON "email_messages"("status", "next_attempt_at");

-- Hand-written: queued and skipped messages; a sent or stored message has its content and transport.
ALTER TABLE "email_messages" DROP CONSTRAINT "email_messages_status_check";
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_status_check" CHECK ("status" IN ('queued', 'sending', 'sent', 'stored', 'skipped', 'failed'));
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_sent_complete_check" CHECK (
  "status" NOT IN ('sent', 'stored') OR ("to_address" IS NOT NULL AND "subject" IS NOT NULL AND "text_body" IS NOT NULL AND "html_body" IS NOT NULL AND "transport" IS NOT NULL)
);
ALTER TABLE "email_messages" ADD CONSTRAINT "email_messages_attempt_count_check" CHECK ("attempt_count" >= 0);
