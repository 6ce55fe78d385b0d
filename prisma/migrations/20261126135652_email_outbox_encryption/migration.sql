-- The email outbox kept recipient addresses and rendered bodies (a receipt holds the customer's name and
-- email) in plaintext. They are now sealed with the customer's (else the merchant's) data key by the
-- application (lib/notifications/email-content.ts). SQL cannot encrypt under application keys, so existing
-- plaintext is dropped rather than kept until a one-off step ran: sent messages lose their stored copy (the
-- outbox view shows no body), queued ones fall back to the customer's current email when sent (a
-- receipt_email given at checkout for a queued message is lost; that message is then skipped).
-- AlterTable
ALTER TABLE "email_messages" DROP COLUMN "html_body",
DROP COLUMN "text_body",
DROP COLUMN "to_address",
ADD COLUMN     "body_encrypted" BYTEA,
ADD COLUMN     "customer_id" TEXT,
ADD COLUMN     "to_address_encrypted" BYTEA;

-- CreateIndex
CREATE INDEX "email_messages_merchant_id_customer_id_idx" ON "email_messages"("merchant_id", "customer_id");

-- Whose key seals a message: the payment's customer.
UPDATE "email_messages" m SET "customer_id" = p."customer_id"
FROM "payments" p WHERE p."id" = m."related_object_id" AND m."customer_id" IS NULL;
