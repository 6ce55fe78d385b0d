-- Hand-written only (no schema change): transfers posted by one SQL function, so a whole batch of them is
-- one statement and one round trip (lib/ledger/post-transfers.ts). Called in autocommit it is also one
-- transaction: every caller of a batch is answered after that COMMIT (group commit; durability unchanged).
--
-- p_items: a JSON array, in the order the transfers are to be decided, of
--   { i, merchant_id, transfer_id, transaction_id, from_entry_id, to_entry_id, from_id, to_id, amount,
--     currency, description, transaction_description, metadata, created_at?, idempotency? }
-- idempotency (optional; POST /api/v1/transfers): { lock_id, endpoint, key, fingerprint, request_id,
--   response_status, response_body, expires_at }: the key record commits with the transfer, following
--   lib/idempotency/run-idempotent.ts (advisory try-lock on the key, then the stored key decides).
--
-- Every account of the batch is locked first, in id order (no deadlock with any other posting: they all
-- lock in id order). Then each transfer is decided in order against the balances the earlier ones left:
-- all its checks run before any of its writes, and a refused transfer writes nothing and does not affect
-- the others. The deferred balance trigger, CHECKs and foreign keys still guard every row at COMMIT.
--
-- One row per item: outcome 'posted' (transaction_id, created_at), 'replayed' (detail: the stored
-- response), an idempotency error code, or a refusal code with what its message needs (detail).
CREATE FUNCTION ledger_post_transfers(p_items jsonb)
RETURNS TABLE (i int, outcome text, transaction_id text, created_at timestamptz, detail jsonb)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  item record;
  src record;
  dst record;
  stored record;
  leaving "LedgerSide";
  src_after bigint;
  dst_after bigint;
  at timestamptz;
BEGIN
  PERFORM 1 FROM ledger_accounts a
  WHERE a.id = ANY (ARRAY(SELECT DISTINCT x.id FROM jsonb_array_elements(p_items) AS e(v),
                          LATERAL (VALUES (e.v->>'from_id'), (e.v->>'to_id')) AS x(id)))
  ORDER BY a.id
  FOR UPDATE;

  FOR item IN
    SELECT * FROM jsonb_to_recordset(p_items) AS t(i int, merchant_id text, transfer_id text, transaction_id text,
      from_entry_id text, to_entry_id text, from_id text, to_id text, amount bigint, currency text, description text,
      transaction_description text, metadata jsonb, created_at timestamptz, idempotency jsonb)
    ORDER BY t.i
  LOOP
    i := item.i;
    outcome := NULL;
    transaction_id := NULL;
    created_at := NULL;
    detail := NULL;

    IF item.idempotency IS NOT NULL THEN
      IF NOT pg_try_advisory_xact_lock((item.idempotency->>'lock_id')::bigint) THEN
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

    SELECT a.currency::text AS currency, a.normal_side, a.floor_minor, a.status::text AS status, a.balance_minor
      INTO src FROM ledger_accounts a WHERE a.id = item.from_id AND a.merchant_id = item.merchant_id;
    IF NOT FOUND THEN
      outcome := 'from_missing';
    ELSE
      SELECT a.currency::text AS currency, a.normal_side, a.floor_minor, a.status::text AS status, a.balance_minor
        INTO dst FROM ledger_accounts a WHERE a.id = item.to_id AND a.merchant_id = item.merchant_id;
      IF NOT FOUND THEN
        outcome := 'to_missing';
      ELSIF item.from_id = item.to_id OR item.amount IS NULL OR item.amount <= 0 THEN
        outcome := 'invalid';
      ELSIF src.currency <> item.currency THEN
        outcome := 'from_currency_mismatch';
        detail := jsonb_build_object('currency', src.currency);
      ELSIF dst.currency <> item.currency THEN
        outcome := 'to_currency_mismatch';
        detail := jsonb_build_object('currency', dst.currency);
      ELSIF src.normal_side <> dst.normal_side THEN
        outcome := 'sides_differ';
        detail := jsonb_build_object('from_side', src.normal_side, 'to_side', dst.normal_side);
      ELSIF src.status <> 'open' THEN
        outcome := 'from_inactive';
        detail := jsonb_build_object('status', src.status);
      ELSIF dst.status <> 'open' THEN
        outcome := 'to_inactive';
        detail := jsonb_build_object('status', dst.status);
      ELSIF src.floor_minor IS NOT NULL AND src.balance_minor - item.amount < src.floor_minor THEN
        outcome := 'insufficient_funds';
        detail := jsonb_build_object('available', (src.balance_minor - src.floor_minor)::text);
      END IF;
    END IF;
    IF outcome IS NOT NULL THEN
      RETURN NEXT;
      CONTINUE;
    END IF;

    -- Accepted: the amount leaves `from` on its normal side and arrives at `to` (both grow on the same side).
    leaving := CASE WHEN src.normal_side = 'credit' THEN 'debit'::"LedgerSide" ELSE 'credit'::"LedgerSide" END;
    at := coalesce(item.created_at, now())::timestamptz(3);
    UPDATE ledger_accounts a SET balance_minor = a.balance_minor - item.amount, version = a.version + 1, updated_at = now()
      WHERE a.id = item.from_id RETURNING a.balance_minor INTO src_after;
    UPDATE ledger_accounts a SET balance_minor = a.balance_minor + item.amount, version = a.version + 1, updated_at = now()
      WHERE a.id = item.to_id RETURNING a.balance_minor INTO dst_after;
    INSERT INTO ledger_transactions (id, merchant_id, description, metadata, created_at)
      VALUES (item.transaction_id, item.merchant_id, item.transaction_description, jsonb_build_object('transfer', item.transfer_id), at);
    -- Entries take clock_timestamp() after the account locks: per account, time never goes back along seq.
    INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after, created_at)
      VALUES (item.from_entry_id, item.transaction_id, item.from_id, leaving, item.amount, item.currency, src_after, clock_timestamp()),
             (item.to_entry_id, item.transaction_id, item.to_id, CASE WHEN leaving = 'debit' THEN 'credit'::"LedgerSide" ELSE 'debit'::"LedgerSide" END,
              item.amount, item.currency, dst_after, clock_timestamp());
    INSERT INTO transfers (id, merchant_id, from_account_id, to_account_id, amount_minor, currency, description, metadata, transaction_id, created_at)
      VALUES (item.transfer_id, item.merchant_id, item.from_id, item.to_id, item.amount, item.currency, item.description,
              coalesce(item.metadata, '{}'::jsonb), item.transaction_id, at);
    IF item.idempotency IS NOT NULL THEN
      INSERT INTO idempotency_keys (merchant_id, endpoint, key, fingerprint, status, response_status, response_body, request_id,
                                    completed_at, expires_at)
        VALUES (item.merchant_id, item.idempotency->>'endpoint', item.idempotency->>'key', item.idempotency->>'fingerprint', 'completed',
                (item.idempotency->>'response_status')::int, item.idempotency->>'response_body', item.idempotency->>'request_id',
                now(), (item.idempotency->>'expires_at')::timestamptz);
    END IF;
    outcome := 'posted';
    transaction_id := item.transaction_id;
    created_at := at;
    detail := jsonb_build_object('from_balance_after', src_after::text, 'to_balance_after', dst_after::text);
    RETURN NEXT;
  END LOOP;
END $$;
