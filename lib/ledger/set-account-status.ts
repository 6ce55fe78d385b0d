// Freezes, reopens or closes an account. A frozen or closed account takes part in no posting; the
// posting checks the status under the same row lock, so a freeze takes effect for the next posting.
import { AppError } from "@/lib/api/errors";
import type { LedgerAccount } from "./account.types";
import { ACCOUNT_COLUMNS, type AccountRow, accountFromRow } from "./account-rows";
import type { AccountStatus } from "./chart-of-accounts";
import { querySql, type SqlClient } from "./sql";

const ALLOWED_FROM: Record<AccountStatus, AccountStatus[]> = {
  open: ["frozen"],
  frozen: ["open"],
  closed: ["open", "frozen"],
};

export async function setAccountStatus(
  tx: SqlClient,
  input: { merchantId: string; accountId: string; status: AccountStatus },
): Promise<LedgerAccount> {
  const from = ALLOWED_FROM[input.status];
  // Closing needs a zero balance, so no money is stranded on an account nobody can move it from.
  const [row] = await querySql<AccountRow>(
    tx,
    `UPDATE ledger_accounts SET status = $3::"LedgerAccountStatus", updated_at = now()
     WHERE id = $1 AND merchant_id = $2 AND status::text = ANY($4::text[]) AND ($3 <> 'closed' OR balance_minor = 0)
     RETURNING ${ACCOUNT_COLUMNS}`,
    [input.accountId, input.merchantId, input.status, from],
  );
  if (row) return accountFromRow(row);
  const [current] = await querySql<{ status: string; balance_minor: bigint }>(
    tx,
    `SELECT status::text AS status, balance_minor FROM ledger_accounts WHERE id = $1 AND merchant_id = $2`,
    [input.accountId, input.merchantId],
  );
  if (!current) throw new AppError("resource_missing", `No such account: '${input.accountId}'`, { param: "id" });
  if (current.status === input.status) {
    const [same] = await querySql<AccountRow>(tx, `SELECT ${ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = $1`, [input.accountId]);
    return accountFromRow(same!);
  }
  throw new AppError(
    "invalid_state_transition",
    input.status === "closed" && current.balance_minor !== 0n
      ? `Account '${input.accountId}' still holds ${current.balance_minor}; move the balance before closing it.`
      : `Account '${input.accountId}' is ${current.status}; it cannot become ${input.status}.`,
  );
}
