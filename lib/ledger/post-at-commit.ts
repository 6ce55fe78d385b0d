// Posts a balanced journal transaction when the caller's database transaction commits, for postings whose
// accounts are hot and cannot refuse them (no floor on the side that decreases: a capture debits
// psp_receivable and psp_fees and credits merchant_pending, and every capture of a merchant touches those
// same three rows). postTransaction locks its accounts until the caller's transaction ends, and in an
// interactive transaction every statement after it (and the COMMIT) is a round trip through a busy app
// server: a merchant's captures then queue behind each other's locks. Here the posting is queued as a row
// of ledger_deferred_postings, and a deferred constraint trigger posts it during COMMIT (same checks as
// postTransaction, same lock order, inside the same database transaction: it commits with the caller's
// other writes or not at all) so the locks are held only for the COMMIT itself.
// The posting is idempotent by `externalRef` (a reference already posted posts nothing). A refusal (an
// account closed or frozen, a currency mismatch, a floor) aborts the whole COMMIT with a check_violation.
import { assert } from "@/lib/api/errors";
import { newId } from "@/lib/ids";
import { metadataJson } from "./metadata";
import { parseRequest } from "./post-transaction";
import type { TPostTransactionRequest } from "./post-transaction.types";
import { querySql, type SqlClient } from "./sql";

export type DeferredPostingRequest = Omit<TPostTransactionRequest, "externalRef" | "reversesTransactionId" | "fx"> & { externalRef: string };

/** Queues the posting for the COMMIT of `client`'s transaction; returns the id its ledger transaction will have. */
export async function postTransactionAtCommit(client: SqlClient, input: DeferredPostingRequest): Promise<{ transactionId: string }> {
  const request = parseRequest(input);
  assert(!("fx" in input) && !("reversesTransactionId" in input), "a posting at commit has no FX details and reverses nothing");
  const transactionId = newId("transaction");
  const entries = request.entries.map((entry) => ({
    entry_id: newId("entry"),
    account_id: entry.accountId,
    direction: entry.direction,
    amount_minor: entry.amountMinor.toString(),
    currency: entry.currency,
  }));
  await querySql(
    client,
    `INSERT INTO ledger_deferred_postings (id, merchant_id, transaction_id, description, external_ref, metadata, entries)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
    [newId("deferredPosting"), request.merchantId, transactionId, request.description, input.externalRef, metadataJson(request.metadata), JSON.stringify(entries)],
    "ledger_post_at_commit_v1",
  );
  return { transactionId };
}
