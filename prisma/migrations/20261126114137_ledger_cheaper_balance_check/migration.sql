-- Hand-written only (no schema change): the same commit-time guarantees at less cost per posting.
-- 1. One aggregate query instead of two (count and per-currency sums together).
-- 2. Per ledger transaction, only its entry with the highest seq runs the full check: that entry's
--    trigger always fires (at COMMIT, or at statement end under SET CONSTRAINTS … IMMEDIATE), and an
--    entry added to an old transaction later is the highest one then.
-- 3. The ledger_transactions trigger only has to catch a transaction with no entries at all.

CREATE OR REPLACE FUNCTION ledger_check_transaction_balanced(p_transaction_id text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  entry_count bigint := 0;
  bad_currency text;
  bad_net numeric;
  sums record;
BEGIN
  FOR sums IN
    SELECT currency::text AS currency, count(*) AS entries,
           sum(CASE WHEN direction = 'debit' THEN amount_minor ELSE -amount_minor END) AS net
    FROM ledger_entries WHERE transaction_id = p_transaction_id
    GROUP BY currency
  LOOP
    entry_count := entry_count + sums.entries;
    IF sums.net <> 0 AND bad_currency IS NULL THEN
      bad_currency := sums.currency;
      bad_net := sums.net;
    END IF;
  END LOOP;
  IF entry_count < 2 THEN
    RAISE EXCEPTION 'ledger transaction % has % entries; at least 2 are required', p_transaction_id, entry_count
      USING ERRCODE = 'check_violation';
  END IF;
  IF bad_currency IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transaction % does not balance in %: debits - credits = %', p_transaction_id, bad_currency, bad_net
      USING ERRCODE = 'check_violation';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION ledger_entries_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_entries WHERE transaction_id = NEW.transaction_id AND seq > NEW.seq) THEN
    RETURN NULL;
  END IF;
  PERFORM ledger_check_transaction_balanced(NEW.transaction_id);
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ledger_transactions_have_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger_entries WHERE transaction_id = NEW.id) THEN
    RAISE EXCEPTION 'ledger transaction % has 0 entries; at least 2 are required', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;
