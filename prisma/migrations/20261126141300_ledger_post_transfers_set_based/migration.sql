-- Hand-written only (no schema change): ledger_post_transfers, same contract and checks as in
-- …_ledger_post_transfers, but the writes of a batch are set-based. The loop now only decides, against
-- running balances kept in arrays (the accounts are read once, locked in id order); then one INSERT each
-- for transactions, entries (in decision order, so per account seq follows balance_after), transfers and
-- idempotency keys, and one UPDATE of the touched accounts' balances and versions. A batch of N transfers
-- is about 7 statements instead of 7 × N. A key claimed twice in one batch: the second is "in use" (409),
-- as it would be while the first request runs.
CREATE OR REPLACE FUNCTION ledger_post_transfers(p_items jsonb)
RETURNS TABLE (i int, outcome text, transaction_id text, created_at timestamptz, detail jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  item record;
  stored record;
  acc_id text[];
  acc_merchant text[];
  acc_currency text[];
  acc_side text[];
  acc_floor bigint[];
  acc_status text[];
  acc_balance bigint[];
  acc_version bigint[];
  acc_version0 bigint[];
  f int;
  t int;
  claimed text[] := '{}';
  accepted int[] := '{}';
  from_after bigint[] := '{}';
  to_after bigint[] := '{}';
BEGIN
  SELECT array_agg(a.id ORDER BY a.id), array_agg(a.merchant_id ORDER BY a.id), array_agg(a.currency::text ORDER BY a.id),
         array_agg(a.normal_side::text ORDER BY a.id), array_agg(a.floor_minor ORDER BY a.id), array_agg(a.status::text ORDER BY a.id),
         array_agg(a.balance_minor ORDER BY a.id), array_agg(a.version ORDER BY a.id)
    INTO acc_id, acc_merchant, acc_currency, acc_side, acc_floor, acc_status, acc_balance, acc_version
  FROM (SELECT l.id, l.merchant_id, l.currency, l.normal_side, l.floor_minor, l.status, l.balance_minor, l.version
        FROM ledger_accounts l
        WHERE l.id = ANY (ARRAY(SELECT DISTINCT x.id FROM jsonb_array_elements(p_items) AS e(v),
                                LATERAL (VALUES (e.v->>'from_id'), (e.v->>'to_id')) AS x(id)))
        ORDER BY l.id
        FOR UPDATE) a;
  acc_id := coalesce(acc_id, '{}');
  acc_version0 := acc_version;

  FOR item IN
    SELECT * FROM jsonb_to_recordset(p_items) AS r(i int, merchant_id text, from_id text, to_id text, amount bigint, currency text,
      endpoint text, idempotency jsonb)
    ORDER BY r.i
  LOOP
    i := item.i;
    outcome := NULL;
    transaction_id := NULL;
    created_at := NULL;
    detail := NULL;

    IF item.idempotency IS NOT NULL THEN
      IF (item.merchant_id || E'\n' || (item.idempotency->>'endpoint') || E'\n' || (item.idempotency->>'key')) = ANY (claimed)
         OR NOT pg_try_advisory_xact_lock((item.idempotency->>'lock_id')::bigint) THEN
        outcome := 'idempotency_key_in_use';
      ELSE
        SELECT k.fingerprint, k.status, k.response_status, k.response_body INTO stored
        FROM idempotency_keys k
        WHERE k.merchant_id = item.merchant_id AND k.endpoint = item.idempotency->>'endpoint' AND k.key = item.idempotency->>'key';
        IF FOUND THEN
          IF stored.fingerprint <> item.idempotency->>'fingerprint' THEN
            outcome := 'idempotency_key_reused';
          ELSIF stored.status = 'completed' THEN
            outcome := 'replayed';
            detail := jsonb_build_object('response_status', stored.response_status, 'response_body', stored.response_body);
          ELSE
            outcome := 'idempotency_key_in_use';
          END IF;
        END IF;
      END IF;
      IF outcome IS NOT NULL THEN
        RETURN NEXT;
        CONTINUE;
      END IF;
    END IF;

    f := array_position(acc_id, item.from_id);
    t := array_position(acc_id, item.to_id);
    IF f IS NULL OR acc_merchant[f] <> item.merchant_id THEN
      outcome := 'from_missing';
    ELSIF t IS NULL OR acc_merchant[t] <> item.merchant_id THEN
      outcome := 'to_missing';
    ELSIF f = t OR item.amount IS NULL OR item.amount <= 0 THEN
      outcome := 'invalid';
    ELSIF acc_currency[f] <> item.currency THEN
      outcome := 'from_currency_mismatch';
      detail := jsonb_build_object('currency', acc_currency[f]);
    ELSIF acc_currency[t] <> item.currency THEN
      outcome := 'to_currency_mismatch';
      detail := jsonb_build_object('currency', acc_currency[t]);
    ELSIF acc_side[f] <> acc_side[t] THEN
      outcome := 'sides_differ';
      detail := jsonb_build_object('from_side', acc_side[f], 'to_side', acc_side[t]);
    ELSIF acc_status[f] <> 'open' THEN
      outcome := 'from_inactive';
      detail := jsonb_build_object('status', acc_status[f]);
    ELSIF acc_status[t] <> 'open' THEN
      outcome := 'to_inactive';
      detail := jsonb_build_object('status', acc_status[t]);
    ELSIF acc_floor[f] IS NOT NULL AND acc_balance[f] - item.amount < acc_floor[f] THEN
      outcome := 'insufficient_funds';
      detail := jsonb_build_object('available', (acc_balance[f] - acc_floor[f])::text);
    END IF;
    IF outcome IS NOT NULL THEN
      RETURN NEXT;
      CONTINUE;
    END IF;

    -- Accepted: apply it to the running balances; the rows are written after the loop.
    acc_balance[f] := acc_balance[f] - item.amount;
    acc_version[f] := acc_version[f] + 1;
    acc_balance[t] := acc_balance[t] + item.amount;
    acc_version[t] := acc_version[t] + 1;
    accepted := accepted || item.i;
    from_after := from_after || acc_balance[f];
    to_after := to_after || acc_balance[t];
    IF item.idempotency IS NOT NULL THEN
      claimed := claimed || (item.merchant_id || E'\n' || (item.idempotency->>'endpoint') || E'\n' || (item.idempotency->>'key'));
    END IF;
  END LOOP;

  IF cardinality(accepted) = 0 THEN
    RETURN;
  END IF;

  INSERT INTO ledger_transactions (id, merchant_id, description, metadata, created_at)
  SELECT r.transaction_id, r.merchant_id, r.transaction_description, jsonb_build_object('transfer', r.transfer_id),
         coalesce(r.created_at, now())::timestamptz(3)
  FROM jsonb_to_recordset(p_items) AS r(i int, merchant_id text, transfer_id text, transaction_id text, transaction_description text, created_at timestamptz)
  WHERE r.i = ANY (accepted)
  ORDER BY r.i;

  -- In decision order, from-leg first: per account, seq then follows the balance_after chain. Entries take
  -- clock_timestamp() after the account locks, so per account time never goes back along seq.
  INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after, created_at)
  SELECT CASE WHEN s.leg = 0 THEN r.from_entry_id ELSE r.to_entry_id END,
         r.transaction_id,
         CASE WHEN s.leg = 0 THEN r.from_id ELSE r.to_id END,
         -- the amount leaves `from` on its normal side and arrives at `to` (both grow on the same side)
         (CASE WHEN (acc_side[array_position(acc_id, r.from_id)] = 'credit') = (s.leg = 0) THEN 'debit' ELSE 'credit' END)::"LedgerSide",
         r.amount, r.currency,
         CASE WHEN s.leg = 0 THEN u.fa ELSE u.ta END,
         clock_timestamp()
  FROM unnest(accepted, from_after, to_after) WITH ORDINALITY AS u(i, fa, ta, ord)
  JOIN jsonb_to_recordset(p_items) AS r(i int, transaction_id text, from_entry_id text, to_entry_id text, from_id text, to_id text, amount bigint, currency text)
    ON r.i = u.i
  CROSS JOIN (VALUES (0), (1)) AS s(leg)
  ORDER BY u.ord, s.leg;

  UPDATE ledger_accounts a SET balance_minor = u.balance, version = u.version, updated_at = now()
  FROM unnest(acc_id, acc_balance, acc_version, acc_version0) AS u(id, balance, version, version0)
  WHERE a.id = ANY (acc_id) AND a.id = u.id AND u.version <> u.version0;

  INSERT INTO transfers (id, merchant_id, from_account_id, to_account_id, amount_minor, currency, description, metadata, transaction_id, created_at)
  SELECT r.transfer_id, r.merchant_id, r.from_id, r.to_id, r.amount, r.currency, r.description, coalesce(r.metadata, '{}'::jsonb),
         r.transaction_id, coalesce(r.created_at, now())::timestamptz(3)
  FROM jsonb_to_recordset(p_items) AS r(i int, merchant_id text, transfer_id text, transaction_id text, from_id text, to_id text, amount bigint,
         currency text, description text, metadata jsonb, created_at timestamptz)
  WHERE r.i = ANY (accepted)
  ORDER BY r.i;

  INSERT INTO idempotency_keys (merchant_id, endpoint, key, fingerprint, status, response_status, response_body, request_id, completed_at, expires_at)
  SELECT r.merchant_id, r.idempotency->>'endpoint', r.idempotency->>'key', r.idempotency->>'fingerprint', 'completed',
         (r.idempotency->>'response_status')::int, r.idempotency->>'response_body', r.idempotency->>'request_id', now(),
         (r.idempotency->>'expires_at')::timestamptz
  FROM jsonb_to_recordset(p_items) AS r(i int, merchant_id text, idempotency jsonb)
  WHERE r.i = ANY (accepted) AND r.idempotency IS NOT NULL
  ORDER BY r.i;

  RETURN QUERY
  SELECT u.i, 'posted'::text, r.transaction_id, coalesce(r.created_at, now())::timestamptz(3),
         jsonb_build_object('from_balance_after', u.fa::text, 'to_balance_after', u.ta::text)
  FROM unnest(accepted, from_after, to_after) AS u(i, fa, ta)
  JOIN jsonb_to_recordset(p_items) AS r(i int, transaction_id text, created_at timestamptz) ON r.i = u.i;
END $$;
