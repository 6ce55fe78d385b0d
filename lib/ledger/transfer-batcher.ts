// Group commit for transfers: concurrent callers' transfers are queued and posted together, up to
// `batchSizeMax` per database transaction, by ONE autocommit statement (ledger_post_transfers through
// postTransfers): it locks the batch's accounts in id order, decides every transfer in queue order
// against the running balances (a refused transfer does not affect the others), writes the accepted ones
// and commits. Every caller's promise settles only after that COMMIT, so durability per transfer is that
// of a transaction of its own; only the round trip and the WAL flush are shared. A batch the database
// rejects as a whole (an error no single transfer's checks foresaw) is retried one transfer at a time,
// so one bad transfer cannot take the others down with it.
// Used by createTransferNow (jobs, internal moves, the benchmark) and, with the idempotency key record
// riding along in the same statement, by POST /api/v1/transfers (createTransferIdempotent).
import type pg from "pg";
import { sqlPool } from "@/lib/db/client";
import type { CreateTransferInput } from "./create-transfer";
import type { TransferRecord } from "./create-transfer.types";
import { precheckTransfer, type PreparedTransfer, prepareTransfer, postTransfers, type TransferOutcome } from "./post-transfers";
import { withLedgerRetry } from "./sql";

export const TRANSFER_BATCH_SIZE_MAX = 128;

type Pending = { item: PreparedTransfer; resolve: (outcome: TransferOutcome) => void; reject: (error: unknown) => void };

export type TransferBatcher = {
  /** Queues a transfer; resolves once it is committed, rejects with the same AppErrors as createTransfer. */
  submit(input: CreateTransferInput): Promise<TransferRecord>;
  /** Queues a prepared transfer (ids, and for the API its key record, chosen); resolves with its outcome after the COMMIT. */
  submitPrepared(item: PreparedTransfer): Promise<TransferOutcome>;
  /** Waits for everything queued so far. */
  drain(): Promise<void>;
};

export function createTransferBatcher(options: { pool?: pg.Pool; batchSizeMax?: number; flushersMax?: number } = {}): TransferBatcher {
  const batchSizeMax = Math.min(options.batchSizeMax ?? 64, TRANSFER_BATCH_SIZE_MAX);
  const flushersMax = options.flushersMax ?? 2;
  const queue: Pending[] = [];
  let flushers = 0;
  let picking = 0;
  let idle: (() => void)[] = [];

  const pool = () => options.pool ?? sqlPool();

  async function flushLoop(): Promise<void> {
    flushers++;
    try {
      while (queue.length > 0) {
        // Callers answered by the previous batch queue their next transfer in promise callbacks that run
        // after this loop resumes; one turn of the event loop lets them join this batch instead of the next.
        // Flushers picking up at the same time share the queue, so their batches run side by side.
        picking++;
        if (queue.length < batchSizeMax) await new Promise((resolve) => setImmediate(resolve));
        const share = Math.ceil(queue.length / picking);
        picking--;
        const batch = queue.splice(0, Math.min(batchSizeMax, share));
        if (batch.length === 0) continue;
        await postBatch(pool(), batch);
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

  function submitPrepared(item: PreparedTransfer): Promise<TransferOutcome> {
    return new Promise<TransferOutcome>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (flushers < flushersMax) void flushLoop();
    });
  }

  return {
    async submit(input) {
      const refusal = precheckTransfer(input);
      if (refusal) throw refusal;
      const outcome = await submitPrepared(prepareTransfer(input));
      if (outcome.kind === "posted") return outcome.transfer;
      if (outcome.kind === "refused") throw outcome.error;
      throw new Error("Invariant violated: a transfer without an idempotency key was replayed");
    },
    submitPrepared,
    drain() {
      if (flushers === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}

/**
 * An ERROR (not FATAL, not a lost connection) answer to an autocommit statement: it certainly rolled back,
 * so its transfers can be tried again. After a lost connection the COMMIT may have happened: never retried.
 */
function certainlyRolledBack(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { severity?: unknown }).severity === "ERROR";
}

/** One statement for the batch (retried on lock conflicts); if the database refuses it as a whole, one per transfer. */
async function postBatch(pool: pg.Pool, batch: Pending[]): Promise<void> {
  let outcomes: TransferOutcome[];
  try {
    outcomes = await withLedgerRetry(() => postTransfers(pool, batch.map((pending) => pending.item)));
  } catch (error) {
    if (batch.length === 1 || !certainlyRolledBack(error)) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) await postBatch(pool, [pending]);
    return;
  }
  batch.forEach((pending, index) => pending.resolve(outcomes[index]!));
}

let shared: TransferBatcher | undefined;

/** The process-wide batcher (group commit with concurrent callers in this process). */
export function sharedTransferBatcher(): TransferBatcher {
  shared ??= createTransferBatcher();
  return shared;
}

/** Posts a transfer through the process-wide batcher (group commit with concurrent callers). */
export function createTransferBatched(input: CreateTransferInput): Promise<TransferRecord> {
  return sharedTransferBatcher().submit(input);
}
