-- CreateIndex
CREATE INDEX "risk_payment_attempts_occurred_at_idx" ON "risk_payment_attempts"("occurred_at");
