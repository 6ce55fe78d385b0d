-- One fraud-history attempt per payment. Before this, a payment driven twice (recovery, a re-run of
-- drivePayment) could be recorded twice and count double in velocity rules; keep the first record of each.
DELETE FROM "risk_payment_attempts" a
USING "risk_payment_attempts" b
WHERE a."merchant_id" = b."merchant_id" AND a."payment_id" = b."payment_id" AND a."id" > b."id";

-- CreateIndex
CREATE UNIQUE INDEX "risk_payment_attempts_merchant_id_payment_id_key" ON "risk_payment_attempts"("merchant_id", "payment_id");
