// Posts a balanced journal transaction in ONE SQL statement: lock the touched accounts in id order,
// check status, currency and floors against the locked balances, insert the transaction and its
// entries (each with the balance after it), and move the cached balances — all or nothing. If any
// check fails nothing is written and the caller gets a precise AppError.
import { AppError, assert } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { metadataJson } from "./metadata";
import {
  type PostedEntry,
  type PostedTransaction,
  type TPostTransactionRequest,
  ZPostTransactionRequest,
} from "./post-transaction.types";
import { querySql, type SqlClient, SQLSTATE, constraintOf, sqlStateOf, toLockTimeout, withLedgerRetry } from "./sql";

type ParsedRequest = ReturnType<typeof ZPostTransactionRequest.parse>;

/** A row to write in the same statement as the posting (a transfer referencing the new transaction). */
export type TransferAttachment = {
  id: string;
  fromAccountId: string;
  toAccountId: string;
  amountMinor: bigint;
  currency: string;
  description: string | null;
  metadata: Record<string, unknown> | undefined;
};

type MoveRow = {
  i: number;
  found: boolean;
  accountCurrency: string | null;
  status: string | null;
  floorMinor: string | null;
  balanceBefore: string | null;
  balanceAfter: string | null;
  isLast: boolean;
};

type PostingRow = {
  ok: boolean;
  reverses_ok: boolean;
  transaction_id: string | null;
  created_at: Date | null;
  inserted: { seq: string; id: string }[] | null;
  moves: MoveRow[];
};

const POSTING_SQL = (withTransfer: boolean) => `
WITH input AS (
  SELECT e.i, e.entry_id, e.account_id, e.direction, e.amount_minor::bigint AS amount_minor, e.currency
  FROM jsonb_to_recordset($1::jsonb) AS e(i int, entry_id text, account_id text, direction text, amount_minor text, currency text)
),
locked AS MATERIALIZED (
  SELECT a.id, a.currency::text AS currency, a.normal_side::text AS normal_side, a.floor_minor,
         a.status::text AS status, a.balance_minor, a.version
  FROM ledger_accounts a
  -- = ANY(ARRAY(…)), not IN (SELECT …): the prepared statement's generic plan then looks the accounts up by
  -- primary key instead of hash-joining a scan of the whole table.
  WHERE a.id = ANY (ARRAY(SELECT account_id FROM input)) AND a.merchant_id = $2
  ORDER BY a.id
  FOR UPDATE
),
moves AS MATERIALIZED (
  SELECT i.i, i.entry_id, i.account_id, i.direction, i.amount_minor, i.currency,
         l.id IS NOT NULL AS found, l.currency AS account_currency, l.status, l.floor_minor,
         l.balance_minor AS balance_before,
         l.balance_minor + sum(CASE WHEN i.direction = l.normal_side THEN i.amount_minor ELSE -i.amount_minor END) OVER w AS balance_after,
         l.version + count(*) OVER w AS version_after,
         count(*) OVER (PARTITION BY i.account_id) = count(*) OVER w AS is_last
  FROM input i LEFT JOIN locked l ON l.id = i.account_id
  WINDOW w AS (PARTITION BY i.account_id ORDER BY i.i)
),
verdict AS MATERIALIZED (
  SELECT coalesce(bool_and(found AND account_currency = currency AND status = 'open'
                           AND (NOT is_last OR floor_minor IS NULL OR balance_after >= floor_minor)), false) AS ok,
         ($7::text IS NULL OR EXISTS (SELECT 1 FROM ledger_transactions r WHERE r.id = $7 AND r.merchant_id = $2)) AS reverses_ok
  FROM moves
),
txn AS (
  INSERT INTO ledger_transactions (id, merchant_id, description, external_ref, metadata, reverses_transaction_id,
                                   fx_pair, fx_rate, fx_source, fx_rate_at)
  SELECT $3, $2, $4, $5, $6::jsonb, $7, $8, $9::numeric, $10, $11::timestamptz
  FROM verdict WHERE ok AND reverses_ok
  ON CONFLICT DO NOTHING
  RETURNING id, created_at
),
ins AS (
  INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after, created_at)
  SELECT m.entry_id, t.id, m.account_id, m.direction::"LedgerSide", m.amount_minor, m.currency, m.balance_after, clock_timestamp()
  FROM moves m CROSS JOIN txn t
  ORDER BY m.account_id, m.i
  RETURNING seq, id
),
upd AS (
  UPDATE ledger_accounts a
  SET balance_minor = m.balance_after, version = m.version_after, updated_at = now()
  FROM moves m
  WHERE m.is_last AND a.id = m.account_id AND a.id = ANY (ARRAY(SELECT account_id FROM input)) AND EXISTS (SELECT 1 FROM txn)
  RETURNING a.id
)${
  withTransfer
    ? `,
trf AS (
  INSERT INTO transfers (id, merchant_id, from_account_id, to_account_id, amount_minor, currency, description, metadata, transaction_id)
  SELECT $12, $2, $13, $14, $15::bigint, $16, $17, $18::jsonb, t.id FROM txn t
  RETURNING id
)`
    : ""
}
SELECT v.ok, v.reverses_ok, t.id AS transaction_id, t.created_at,
       (SELECT json_agg(json_build_object('seq', ins.seq::text, 'id', ins.id)) FROM ins) AS inserted,
       (SELECT json_agg(json_build_object(
          'i', m.i, 'found', m.found, 'accountCurrency', m.account_currency, 'status', m.status,
          'floorMinor', m.floor_minor::text, 'balanceBefore', m.balance_before::text,
          'balanceAfter', m.balance_after::text, 'isLast', m.is_last) ORDER BY m.i) FROM moves m) AS moves
FROM verdict v LEFT JOIN txn t ON true`;

const POSTING_ONLY_SQL = POSTING_SQL(false);
const POSTING_WITH_TRANSFER_SQL = POSTING_SQL(true);

/** Asserts the invariant every posting must meet before it reaches the database: debits = credits per currency. */
export function assertBalanced(entries: readonly { direction: "debit" | "credit"; amountMinor: bigint; currency: string }[]): void {
  const net = new Map<string, bigint>();
  for (const entry of entries) {
    assert(entry.amountMinor > 0n, "ledger entry amounts are positive");
    net.set(entry.currency, (net.get(entry.currency) ?? 0n) + (entry.direction === "debit" ? entry.amountMinor : -entry.amountMinor));
  }
  for (const [currency, difference] of net) {
    assert(difference === 0n, `ledger transaction does not balance in ${currency}: debits - credits = ${difference}`);
  }
}

export function parseRequest(input: TPostTransactionRequest): ParsedRequest {
  const parsed = ZPostTransactionRequest.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    assert(false, `postTransaction input ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  assertBalanced(parsed.data.entries);
  if (parsed.data.fx) {
    const currencies = new Set(parsed.data.entries.map((entry) => entry.currency));
    assert(currencies.has(parsed.data.fx.base) && currencies.has(parsed.data.fx.quote), "fx base and quote are currencies of the entries");
  }
  return parsed.data;
}

/** Explains why the statement wrote nothing, from what it saw under the locks. */
function refusal(request: ParsedRequest, row: PostingRow): AppError {
  if (!row.reverses_ok) {
    return new AppError("resource_missing", `No such ledger transaction: '${request.reversesTransactionId}'`, { param: "reverses_transaction_id" });
  }
  const moves = [...row.moves].sort((left, right) => left.i - right.i);
  for (const move of moves) {
    const entry = request.entries[move.i]!;
    if (!move.found) return new AppError("resource_missing", `No such account: '${entry.accountId}'`, { param: "account" });
  }
  for (const move of moves) {
    const entry = request.entries[move.i]!;
    if (move.status !== "open") {
      return new AppError("account_inactive", `Account '${entry.accountId}' is ${move.status}; it cannot send or receive money.`, { param: "account" });
    }
    if (move.accountCurrency !== entry.currency) {
      return new AppError(
        "currency_mismatch",
        `Account '${entry.accountId}' holds ${move.accountCurrency}; it cannot take an entry in ${entry.currency}.`,
        { param: "currency" },
      );
    }
  }
  for (const move of moves) {
    const entry = request.entries[move.i]!;
    if (move.isLast && move.floorMinor !== null && BigInt(move.balanceAfter!) < BigInt(move.floorMinor)) {
      const before = BigInt(move.balanceBefore!);
      const available = before - BigInt(move.floorMinor);
      const needed = before - BigInt(move.balanceAfter!);
      return new AppError(
        "insufficient_funds",
        `Insufficient funds in account '${entry.accountId}': available balance is ${available} (${entry.currency} minor units), this needs ${needed}.`,
        { param: "amount" },
      );
    }
  }
  return new AppError("invalid_state_transition", "The ledger refused the posting.");
}

function entryFromRow(row: {
  id: string;
  seq: bigint;
  account_id: string;
  direction: string;
  amount_minor: bigint;
  currency: string;
  balance_after: bigint;
}): PostedEntry {
  return {
    id: row.id,
    seq: row.seq,
    accountId: row.account_id,
    direction: row.direction as PostedEntry["direction"],
    amountMinor: row.amount_minor,
    currency: row.currency,
    balanceAfterMinor: row.balance_after,
  };
}

/** The posted transaction with this external reference, for idempotent replays. */
async function findByExternalRef(client: SqlClient, merchantId: string, externalRef: string): Promise<PostedTransaction | null> {
  const rows = await querySql<{
    id: string;
    description: string;
    external_ref: string | null;
    reverses_transaction_id: string | null;
    created_at: Date;
    entries: { id: string; seq: string; account_id: string; direction: string; amount_minor: string; currency: string; balance_after: string }[];
  }>(
    client,
    `SELECT t.id, t.description, t.external_ref, t.reverses_transaction_id, t.created_at,
            (SELECT json_agg(json_build_object('id', e.id, 'seq', e.seq::text, 'account_id', e.account_id,
                     'direction', e.direction, 'amount_minor', e.amount_minor::text, 'currency', e.currency::text,
                     'balance_after', e.balance_after::text) ORDER BY e.seq)
             FROM ledger_entries e WHERE e.transaction_id = t.id) AS entries
     FROM ledger_transactions t WHERE t.merchant_id = $1 AND t.external_ref = $2`,
    [merchantId, externalRef],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    merchantId,
    description: row.description,
    externalRef: row.external_ref,
    reversesTransactionId: row.reverses_transaction_id,
    createdAt: row.created_at,
    replayed: true,
    entries: (row.entries ?? []).map((entry) =>
      entryFromRow({ ...entry, seq: BigInt(entry.seq), amount_minor: BigInt(entry.amount_minor), balance_after: BigInt(entry.balance_after) }),
    ),
  };
}

function sameEntries(request: ParsedRequest, posted: PostedTransaction): boolean {
  const key = (entry: { accountId: string; direction: string; amountMinor: bigint; currency: string }) =>
    `${entry.accountId}|${entry.direction}|${entry.amountMinor}|${entry.currency}`;
  const left = request.entries.map(key).sort();
  const right = posted.entries.map(key).sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/** Posting with an optional transfer row written in the same statement (used by createTransfer). */
export async function postTransactionWith(
  client: SqlClient,
  input: TPostTransactionRequest,
  transfer?: TransferAttachment,
): Promise<PostedTransaction> {
  const request = parseRequest(input);
  const transactionId = newId("transaction");
  const entryIds = request.entries.map(() => newId("entry"));
  const entriesJson = JSON.stringify(
    request.entries.map((entry, i) => ({
      i,
      entry_id: entryIds[i],
      account_id: entry.accountId,
      direction: entry.direction,
      amount_minor: entry.amountMinor.toString(),
      currency: entry.currency,
    })),
  );
  const params: unknown[] = [
    entriesJson,
    request.merchantId,
    transactionId,
    request.description,
    request.externalRef ?? null,
    metadataJson(request.metadata),
    request.reversesTransactionId ?? null,
    request.fx ? `${request.fx.base}/${request.fx.quote}` : null,
    request.fx?.rate ?? null,
    request.fx?.source ?? null,
    request.fx?.rateAt.toISOString() ?? null,
  ];
  if (transfer) {
    params.push(
      transfer.id,
      transfer.fromAccountId,
      transfer.toAccountId,
      transfer.amountMinor.toString(),
      transfer.currency,
      transfer.description,
      metadataJson(transfer.metadata),
    );
  }

  let row: PostingRow | undefined;
  try {
    [row] = await querySql<PostingRow>(client, transfer ? POSTING_WITH_TRANSFER_SQL : POSTING_ONLY_SQL, params, transfer ? "ledger_post_transfer_v2" : "ledger_post_v2");
  } catch (error) {
    // The CHECK behind the posting's own floor test: only reachable if that test were wrong.
    if (sqlStateOf(error) === SQLSTATE.checkViolation && constraintOf(error) === "ledger_accounts_floor_check") {
      throw new AppError("insufficient_funds", "Insufficient funds: the posting would take an account below its floor.", { cause: error });
    }
    throw toLockTimeout(error);
  }
  assert(row, "the posting statement returns one row");

  if (!row.ok || !row.reverses_ok) throw refusal(request, row);

  if (row.transaction_id === null) {
    // Nothing inserted although every check passed: a unique key was taken first.
    if (request.externalRef) {
      const existing = await findByExternalRef(client, request.merchantId, request.externalRef);
      assert(existing, "a conflicting external reference belongs to a posted transaction");
      if (!sameEntries(request, existing)) {
        throw new AppError(
          "external_ref_conflict",
          `External reference '${request.externalRef}' was already posted with different entries (transaction ${existing.id}).`,
          { param: "external_ref" },
        );
      }
      return existing;
    }
    if (request.reversesTransactionId) {
      throw new AppError("invalid_state_transition", `Ledger transaction '${request.reversesTransactionId}' has already been reversed.`, {
        param: "reverses_transaction_id",
      });
    }
    assert(false, "a fresh transaction id never conflicts");
  }

  const seqById = new Map((row.inserted ?? []).map((entry) => [entry.id, BigInt(entry.seq)]));
  const moveByIndex = new Map(row.moves.map((move) => [move.i, move]));
  const entries: PostedEntry[] = request.entries.map((entry, i) => {
    const seq = seqById.get(entryIds[i]!);
    const move = moveByIndex.get(i);
    assert(seq !== undefined && move?.balanceAfter != null, "every entry of a posted transaction was inserted");
    return {
      id: entryIds[i]!,
      seq,
      accountId: entry.accountId,
      direction: entry.direction,
      amountMinor: entry.amountMinor,
      currency: entry.currency,
      balanceAfterMinor: BigInt(move.balanceAfter),
    };
  });
  return {
    id: row.transaction_id,
    merchantId: request.merchantId,
    description: request.description,
    externalRef: request.externalRef ?? null,
    reversesTransactionId: request.reversesTransactionId ?? null,
    createdAt: row.created_at!,
    entries,
    replayed: false,
  };
}

/**
 * Posts a journal transaction inside the caller's database transaction (a Prisma `tx` or a pg client),
 * so a payment's state change and its ledger effect commit together. Throws AppError for expected
 * refusals (insufficient_funds, account_inactive, currency_mismatch, resource_missing, lock_timeout);
 * an unbalanced posting is a programmer error and fails an assertion. With `externalRef`, posting the
 * same entries again returns the earlier transaction (`replayed: true`) and writes nothing.
 */
export async function postTransaction(tx: SqlClient, input: TPostTransactionRequest): Promise<PostedTransaction> {
  return postTransactionWith(tx, input);
}

/**
 * Posts in a transaction of its own. The posting is one statement, so it runs as one autocommit
 * transaction (a single round trip); deadlocks and serialization failures are retried with jitter.
 */
export async function postTransactionNow(input: TPostTransactionRequest): Promise<PostedTransaction> {
  return withLedgerRetry(() => postTransactionWith(sqlPool(), input));
}
