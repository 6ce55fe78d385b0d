-- Hand-written, no schema change (npm run db:diff has nothing to write): a refund that the PSP fails
-- after it had reported it succeeded (Stripe's refund.failed, days later) brings a refunded payment back
-- to the status it has apart from the refund. Keep in sync with lib/payments/state-machine.ts
-- (PAYMENT_TRANSITIONS and CAUSED_TRANSITIONS; a test compares the pairs).
INSERT INTO "payment_status_transitions" ("from_status", "to_status") VALUES
  ('refunded', 'captured'),
  ('refunded', 'settled'),
  ('refund_settled', 'settled');

-- The pairs above are legal only as the consequence of such a failure: the payment is no longer fully
-- refunded, one of its refunds failed after it had succeeded, and the target is the status the
-- settlement says (settled once the settlement is posted, captured before).
CREATE OR REPLACE FUNCTION payments_guard_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM payment_status_transitions WHERE from_status = OLD.status AND to_status = NEW.status
  ) THEN
    RAISE EXCEPTION 'invalid_state_transition: payment % cannot go from % to %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status IN ('refunded', 'refund_settled') AND NEW.status IN ('captured', 'settled') AND (
    NEW.amount_refunded >= NEW.amount_captured
    OR NOT EXISTS (
      SELECT 1 FROM refunds r WHERE r.payment_id = NEW.id AND r.status = 'failed' AND r.succeeded_at IS NOT NULL
    )
    OR (NEW.status = 'settled') IS DISTINCT FROM EXISTS (
      SELECT 1 FROM ledger_transactions t
      WHERE t.merchant_id = NEW.merchant_id AND t.external_ref = 'payment:' || NEW.id || ':settle'
    )
  ) THEN
    RAISE EXCEPTION 'invalid_state_transition: payment % can go from % back to % only after a refund failed late, to the status its settlement says', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
