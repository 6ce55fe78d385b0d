-- CreateTable
CREATE TABLE "ledger_deferred_postings" (
    "id" TEXT NOT NULL,
    "merchant_id" TEXT NOT NULL,
    "transaction_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "external_ref" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "entries" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_deferred_postings_pkey" PRIMARY KEY ("id")
);

-- Hand-written: a posting applied at COMMIT. Hot accounts (every capture of a merchant credits its one
-- merchant_pending account and debits its psp_receivable) were locked from the posting statement until the
-- end of the caller's interactive transaction: every later statement and the COMMIT are round trips through
-- a busy application server, so all of a merchant's captures queued behind one another's row locks. A row
-- here is posted by a deferred constraint trigger, i.e. inside the same database transaction (all or
-- nothing with the caller's other writes), with the same checks as postTransaction, but the account locks
-- are taken during COMMIT and held only until it completes. The row is deleted once posted.
-- A refusal (missing, foreign, closed or frozen account, currency mismatch, floor) aborts the COMMIT.
-- An external_ref already posted (by an earlier transaction or earlier in this one) posts nothing: a replay.
-- The moves of a posting against the current (locked) balances: each entry with its account's state and the
-- balance after it; is_last marks the account's last entry (the one whose balance_after is the new balance).
CREATE FUNCTION ledger_posting_moves(p_entries jsonb)
RETURNS TABLE (i int, entry_id text, account_id text, direction text, amount_minor bigint, currency text, found boolean,
               merchant_id text, account_currency text, status text, floor_minor bigint, balance_after bigint,
               version_after bigint, is_last boolean)
LANGUAGE sql STABLE AS $$
  SELECT x.i, x.entry_id, x.account_id, x.direction, x.amount_minor, x.currency,
         l.id IS NOT NULL, l.merchant_id, l.currency::text, l.status::text, l.floor_minor,
         l.balance_minor + sum(CASE WHEN x.direction = l.normal_side::text THEN x.amount_minor ELSE -x.amount_minor END) OVER w,
         l.version + count(*) OVER w,
         count(*) OVER (PARTITION BY x.account_id) = count(*) OVER w
  FROM (SELECT e.ord::int AS i, e.v->>'entry_id' AS entry_id, e.v->>'account_id' AS account_id, e.v->>'direction' AS direction,
               (e.v->>'amount_minor')::bigint AS amount_minor, e.v->>'currency' AS currency
        FROM jsonb_array_elements(p_entries) WITH ORDINALITY AS e(v, ord)) x
  LEFT JOIN ledger_accounts l ON l.id = x.account_id
  WINDOW w AS (PARTITION BY x.account_id ORDER BY x.i)
$$;

CREATE FUNCTION ledger_apply_deferred_posting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  inserted int;
  bad record;
BEGIN
  -- The same lock order as every other posting (account id): no deadlock with them.
  PERFORM 1 FROM ledger_accounts a
  WHERE a.id = ANY (ARRAY(SELECT DISTINCT e.v->>'account_id' FROM jsonb_array_elements(NEW.entries) AS e(v)))
  ORDER BY a.id
  FOR UPDATE;

  INSERT INTO ledger_transactions (id, merchant_id, description, external_ref, metadata)
  VALUES (NEW.transaction_id, NEW.merchant_id, NEW.description, NEW.external_ref, NEW.metadata)
  ON CONFLICT DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  IF inserted = 1 THEN
    SELECT m.* INTO bad FROM ledger_posting_moves(NEW.entries) m
    WHERE NOT (m.found AND m.merchant_id = NEW.merchant_id AND m.account_currency = m.currency AND m.status = 'open'
               AND (NOT m.is_last OR m.floor_minor IS NULL OR m.balance_after >= m.floor_minor))
    ORDER BY m.i LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'deferred ledger posting % (%) refused at commit: account % %', NEW.external_ref, NEW.transaction_id, bad.account_id,
        CASE WHEN NOT bad.found OR bad.merchant_id <> NEW.merchant_id THEN 'does not exist'
             WHEN bad.status <> 'open' THEN 'is ' || bad.status
             WHEN bad.account_currency <> bad.currency THEN 'holds ' || bad.account_currency || ', not ' || bad.currency
             ELSE 'would go below its floor' END
        USING ERRCODE = 'check_violation';
    END IF;

    -- The accounts are locked: the moves computed again here are the ones just checked.
    WITH moves AS MATERIALIZED (SELECT * FROM ledger_posting_moves(NEW.entries)),
    entries AS (
      INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after, created_at)
      SELECT m.entry_id, NEW.transaction_id, m.account_id, m.direction::"LedgerSide", m.amount_minor, m.currency, m.balance_after, clock_timestamp()
      FROM moves m
      ORDER BY m.account_id, m.i
    )
    UPDATE ledger_accounts a SET balance_minor = m.balance_after, version = m.version_after, updated_at = now()
    FROM moves m
    WHERE m.is_last AND a.id = m.account_id;
  END IF;

  DELETE FROM ledger_deferred_postings WHERE id = NEW.id;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_deferred_postings_apply
  AFTER INSERT ON ledger_deferred_postings
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_apply_deferred_posting();

-- Rows only live inside their own transaction; nothing may change one in between.
CREATE TRIGGER ledger_deferred_postings_no_update BEFORE UPDATE ON ledger_deferred_postings
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
