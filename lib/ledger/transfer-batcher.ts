// Group commit for transfers that need no caller transaction (internal jobs, bulk moves, the benchmark):
// concurrent callers' transfers are queued and posted together, up to `batchSizeMax` per database
// transaction. Each batch locks all its accounts in id order, decides every transfer in queue order
// against the running balances (a refused transfer does not affect the others), writes all accepted
// ones in one statement and commits once. Every caller's promise settles only after that COMMIT, so
// durability per transfer is exactly that of createTransferNow; only the WAL flush is shared.
// API requests do not come through here: their idempotency key must commit in the wrapper's transaction.
import type pg from "pg";
import { AppError } from "@/lib/api/errors";
import { sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { CreateTransferInput } from "./create-transfer";
import type { TransferRecord } from "./create-transfer.types";
import { metadataJson } from "./metadata";
import { withLedgerRetry } from "./sql";

export const TRANSFER_BATCH_SIZE_MAX = 128;

type Pending = { input: CreateTransferInput; resolve: (transfer: TransferRecord) => void; reject: (error: unknown) => void };

type LockedAccount = {
  id: string;
  merchant_id: string;
  currency: string;
  normal_side: "debit" | "credit";
  floor_minor: bigint | null;
  status: string;
  balance_minor: bigint;
  version: bigint;
};

type Accepted = { pending: Pending; transferId: string; transactionId: string; leaving: "debit" | "credit"; fromAfter: bigint; toAfter: bigint };

const WRITE_SQL = `
WITH txn AS (
  INSERT INTO ledger_transactions (id, merchant_id, description, metadata)
  SELECT r.id, r.merchant_id, r.description, r.metadata::jsonb
  FROM jsonb_to_recordset($1::jsonb) AS r(id text, merchant_id text, description text, metadata text)
  RETURNING id, created_at
),
ins AS (
  INSERT INTO ledger_entries (id, transaction_id, account_id, direction, amount_minor, currency, balance_after, created_at)
  SELECT r.id, r.transaction_id, r.account_id, r.direction::"LedgerSide", r.amount_minor::bigint, r.currency, r.balance_after::bigint, clock_timestamp()
  FROM jsonb_to_recordset($2::jsonb) AS r(ord int, id text, transaction_id text, account_id text, direction text, amount_minor text, currency text, balance_after text)
  ORDER BY r.ord
  RETURNING seq
),
upd AS (
  UPDATE ledger_accounts a SET balance_minor = r.balance_minor::bigint, version = r.version::bigint, updated_at = now()
  FROM jsonb_to_recordset($3::jsonb) AS r(id text, balance_minor text, version text)
  WHERE a.id = r.id
  RETURNING a.id
),
trf AS (
  INSERT INTO transfers (id, merchant_id, from_account_id, to_account_id, amount_minor, currency, description, metadata, transaction_id)
  SELECT r.id, r.merchant_id, r.from_account_id, r.to_account_id, r.amount_minor::bigint, r.currency, r.description, r.metadata::jsonb, r.transaction_id
  FROM jsonb_to_recordset($4::jsonb) AS r(id text, merchant_id text, from_account_id text, to_account_id text, amount_minor text,
       currency text, description text, metadata text, transaction_id text)
  RETURNING id
)
SELECT (SELECT count(*) FROM ins)::int AS entries, (SELECT count(*) FROM upd)::int AS accounts, (SELECT count(*) FROM trf)::int AS transfers,
       (SELECT min(created_at) FROM txn) AS created_at`;

export type TransferBatcher = {
  /** Queues a transfer; resolves once it is committed, rejects with the same AppErrors as createTransfer. */
  submit(input: CreateTransferInput): Promise<TransferRecord>;
  /** Waits for everything queued so far. */
  drain(): Promise<void>;
};

export function createTransferBatcher(options: { pool?: pg.Pool; batchSizeMax?: number; flushersMax?: number } = {}): TransferBatcher {
  const batchSizeMax = Math.min(options.batchSizeMax ?? 64, TRANSFER_BATCH_SIZE_MAX);
  const flushersMax = options.flushersMax ?? 2;
  const queue: Pending[] = [];
  let flushers = 0;
  let idle: (() => void)[] = [];

  const pool = () => options.pool ?? sqlPool();

  async function flushLoop(): Promise<void> {
    flushers++;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, batchSizeMax);
        await postBatch(pool(), batch).catch((error: unknown) => {
          for (const pending of batch) pending.reject(error);
        });
      }
    } finally {
      flushers--;
      if (flushers === 0 && queue.length === 0) {
        const waiting = idle;
        idle = [];
        for (const resolve of waiting) resolve();
      }
    }
  }

  return {
    submit(input) {
      return new Promise<TransferRecord>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (flushers < flushersMax) void flushLoop();
      });
    },
    drain() {
      if (flushers === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}

/** Checks that need no lock; returns the refusal, if any. */
function precheck(input: CreateTransferInput): AppError | null {
  if (input.amountMinor <= 0n) return new AppError("parameter_invalid", "amount must be greater than zero", { param: "amount" });
  if (input.fromAccountId === input.toAccountId) {
    return new AppError("parameter_invalid", "from_account and to_account must be different accounts.", { param: "to_account" });
  }
  return null;
}

async function postBatch(pool: pg.Pool, batch: Pending[]): Promise<void> {
  const live: Pending[] = [];
  for (const pending of batch) {
    const refusal = precheck(pending.input);
    if (refusal) pending.reject(refusal);
    else live.push(pending);
  }
  if (live.length === 0) return;
  const accountIds = [...new Set(live.flatMap((pending) => [pending.input.fromAccountId, pending.input.toAccountId]))].sort();

  const outcome = await withLedgerRetry(async () => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<LockedAccount>({
        name: "ledger_batch_lock_v1",
        text: `SELECT id, merchant_id, currency::text AS currency, normal_side::text AS normal_side, floor_minor,
                      status::text AS status, balance_minor, version
               FROM ledger_accounts WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
        values: [accountIds],
      });
      const accounts = new Map(rows.map((row) => [row.id, { ...row, balance_minor: BigInt(row.balance_minor), version: BigInt(row.version) }]));
      const accepted: Accepted[] = [];
      const refused: [Pending, AppError][] = [];
      for (const pending of live) {
        const decision = decide(pending, accounts);
        if (decision instanceof AppError) refused.push([pending, decision]);
        else accepted.push(decision);
      }
      let createdAt = new Date();
      if (accepted.length > 0) {
        const transactions = accepted.map((item) => ({
          id: item.transactionId,
          merchant_id: item.pending.input.merchantId,
          description: item.pending.input.description ?? `Transfer ${item.transferId}`,
          metadata: JSON.stringify({ transfer: item.transferId }),
        }));
        const entries = accepted.flatMap((item, index) => {
          const { input } = item.pending;
          const arriving = item.leaving === "debit" ? "credit" : "debit";
          return [
            { ord: index * 2, id: newId("entry"), transaction_id: item.transactionId, account_id: input.fromAccountId, direction: item.leaving, amount_minor: input.amountMinor.toString(), currency: input.currency, balance_after: item.fromAfter.toString() },
            { ord: index * 2 + 1, id: newId("entry"), transaction_id: item.transactionId, account_id: input.toAccountId, direction: arriving, amount_minor: input.amountMinor.toString(), currency: input.currency, balance_after: item.toAfter.toString() },
          ];
        });
        const touched = [...new Set(accepted.flatMap((item) => [item.pending.input.fromAccountId, item.pending.input.toAccountId]))];
        const balances = touched.map((id) => {
          const account = accounts.get(id)!;
          return { id, balance_minor: account.balance_minor.toString(), version: account.version.toString() };
        });
        const transfers = accepted.map((item) => ({
          id: item.transferId,
          merchant_id: item.pending.input.merchantId,
          from_account_id: item.pending.input.fromAccountId,
          to_account_id: item.pending.input.toAccountId,
          amount_minor: item.pending.input.amountMinor.toString(),
          currency: item.pending.input.currency,
          description: item.pending.input.description ?? null,
          metadata: metadataJson(item.pending.input.metadata),
          transaction_id: item.transactionId,
        }));
        const result = await client.query<{ entries: number; accounts: number; transfers: number; created_at: Date }>({
          name: "ledger_batch_write_v1",
          text: WRITE_SQL,
          values: [JSON.stringify(transactions), JSON.stringify(entries), JSON.stringify(balances), JSON.stringify(transfers)],
        });
        const written = result.rows[0]!;
        if (written.entries !== entries.length || written.accounts !== balances.length || written.transfers !== transfers.length) {
          throw new Error("Invariant violated: a transfer batch wrote a different number of rows than it decided");
        }
        createdAt = written.created_at;
      }
      await client.query("COMMIT");
      return { accepted, refused, createdAt };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  });

  for (const [pending, error] of outcome.refused) pending.reject(error);
  for (const item of outcome.accepted) {
    const { input } = item.pending;
    item.pending.resolve({
      id: item.transferId,
      merchantId: input.merchantId,
      fromAccountId: input.fromAccountId,
      toAccountId: input.toAccountId,
      amountMinor: input.amountMinor,
      currency: input.currency,
      description: input.description ?? null,
      metadata: input.metadata ?? {},
      transactionId: item.transactionId,
      createdAt: outcome.createdAt,
    });
  }
}

/** Decides one transfer against the locked accounts, applying it to their running state if accepted. */
function decide(pending: Pending, accounts: Map<string, LockedAccount>): Accepted | AppError {
  const { input } = pending;
  const from = accounts.get(input.fromAccountId);
  const to = accounts.get(input.toAccountId);
  if (!from || from.merchant_id !== input.merchantId) return new AppError("resource_missing", `No such account: '${input.fromAccountId}'`, { param: "from_account" });
  if (!to || to.merchant_id !== input.merchantId) return new AppError("resource_missing", `No such account: '${input.toAccountId}'`, { param: "to_account" });
  for (const [account, param] of [[from, "from_account"], [to, "to_account"]] as const) {
    if (account.currency !== input.currency) {
      return new AppError("currency_mismatch", `Account '${account.id}' holds ${account.currency}, not ${input.currency}.`, { param });
    }
    if (account.status !== "open") return new AppError("account_inactive", `Account '${account.id}' is ${account.status}; it cannot send or receive money.`, { param });
  }
  if (from.normal_side !== to.normal_side) {
    return new AppError("parameter_invalid", "A transfer needs two accounts that grow on the same side.", { param: "to_account" });
  }
  const fromAfter = from.balance_minor - input.amountMinor;
  if (from.floor_minor !== null && fromAfter < BigInt(from.floor_minor)) {
    return new AppError(
      "insufficient_funds",
      `Insufficient funds in account '${from.id}': available balance is ${from.balance_minor - BigInt(from.floor_minor)} (${input.currency} minor units), this needs ${input.amountMinor}.`,
      { param: "amount" },
    );
  }
  from.balance_minor = fromAfter;
  from.version += 1n;
  to.balance_minor += input.amountMinor;
  to.version += 1n;
  return {
    pending,
    transferId: newId("transfer"),
    transactionId: newId("transaction"),
    leaving: from.normal_side === "credit" ? "debit" : "credit",
    fromAfter,
    toAfter: to.balance_minor,
  };
}

let shared: TransferBatcher | undefined;

/** Posts a transfer through the process-wide batcher (group commit with concurrent callers). */
export function createTransferBatched(input: CreateTransferInput): Promise<TransferRecord> {
  shared ??= createTransferBatcher();
  return shared.submit(input);
}
