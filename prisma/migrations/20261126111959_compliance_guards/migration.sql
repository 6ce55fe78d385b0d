-- Hand-written (no schema change): guards for customers and personal-data keys, and the audit sealer's
-- state row. The customer and key tables themselves were created in 20261126111740_payments.

-- An erased customer keeps no blind index (a keyed hash of the email could still confirm a guess).
ALTER TABLE "customers" ADD CONSTRAINT "customers_erased_has_no_email_index"
  CHECK ("erased_at" IS NULL OR "email_index" IS NULL);

-- Erasure is final: erased_at cannot be cleared or changed, and an erased customer gets no new data key.
CREATE FUNCTION customers_erasure_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'customers' THEN
    IF OLD.erased_at IS NOT NULL AND NEW.erased_at IS DISTINCT FROM OLD.erased_at THEN
      RAISE EXCEPTION 'customer % is erased: erasure cannot be undone', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.erased_at IS NOT NULL AND (NEW.email_encrypted IS DISTINCT FROM OLD.email_encrypted
        OR NEW.name_encrypted IS DISTINCT FROM OLD.name_encrypted OR NEW.phone_encrypted IS DISTINCT FROM OLD.phone_encrypted
        OR NEW.address_encrypted IS DISTINCT FROM OLD.address_encrypted OR NEW.metadata_encrypted IS DISTINCT FROM OLD.metadata_encrypted
        OR NEW.ip_addresses_encrypted IS DISTINCT FROM OLD.ip_addresses_encrypted) THEN
      RAISE EXCEPTION 'customer % is erased: personal data cannot be written', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF EXISTS (SELECT 1 FROM customers WHERE id = NEW.customer_id AND erased_at IS NOT NULL) THEN
    RAISE EXCEPTION 'customer % is erased: no new data key', NEW.customer_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER customers_erasure_final
  BEFORE UPDATE ON customers
  FOR EACH ROW EXECUTE FUNCTION customers_erasure_guard();

CREATE TRIGGER customer_data_keys_not_for_erased
  BEFORE INSERT ON customer_data_keys
  FOR EACH ROW EXECUTE FUNCTION customers_erasure_guard();

-- customers.merchant_id has no Prisma relation; check it here instead.
CREATE FUNCTION customers_merchant_exists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM merchants WHERE id = NEW.merchant_id) THEN
    RAISE EXCEPTION 'merchant % does not exist', NEW.merchant_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER customers_merchant_fk
  BEFORE INSERT OR UPDATE OF merchant_id ON customers
  FOR EACH ROW EXECUTE FUNCTION customers_merchant_exists();

CREATE TRIGGER merchant_data_keys_merchant_fk
  BEFORE INSERT OR UPDATE OF merchant_id ON merchant_data_keys
  FOR EACH ROW EXECUTE FUNCTION customers_merchant_exists();

-- The sealer's single state row.
ALTER TABLE "audit_sealer_state" ADD CONSTRAINT "audit_sealer_state_single_row" CHECK ("id" = 1);
INSERT INTO "audit_sealer_state" ("id", "watermark_seq") VALUES (1, 0);
