-- CreateIndex
CREATE INDEX "payments_merchant_id_psp_charge_id_idx" ON "payments"("merchant_id", "psp_charge_id");
