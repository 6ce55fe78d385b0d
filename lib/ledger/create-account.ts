// Creates an account through the API: a customer wallet or a balance of the merchant's own.
// Both are liabilities (money the platform owes) on the credit side with a floor of 0.
import { AppError } from "@/lib/api/errors";
import { newId } from "@/lib/ids";
import type { LedgerAccount, TAccountDto, TCreateAccountRequest } from "./account.types";
import { ACCOUNT_COLUMNS, type AccountRow, accountFromRow, toAccountDto } from "./account-rows";
import { metadataJson } from "./metadata";
import { querySql, type SqlClient, SQLSTATE, sqlStateOf } from "./sql";

export type CreateAccountInput = Omit<TCreateAccountRequest, "purpose" | "currency"> & {
  merchantId: string;
  /** Upper-case ISO 4217 code. */
  currency: string;
  purpose?: TCreateAccountRequest["purpose"];
};

export async function createAccount(tx: SqlClient, input: CreateAccountInput): Promise<LedgerAccount> {
  const purpose = input.purpose ?? "customer_wallet";
  const name =
    input.name ?? (purpose === "customer_wallet" ? `Customer wallet${input.customer ? ` ${input.customer}` : ""}` : "Merchant balance");
  try {
    const [row] = await querySql<AccountRow>(
      tx,
      `INSERT INTO ledger_accounts (id, merchant_id, currency, type, normal_side, code, purpose, name, customer_ref, floor_minor, metadata)
       VALUES ($1, $2, $3, 'liability', 'credit', NULL, $4, $5, $6, 0, $7::jsonb)
       RETURNING ${ACCOUNT_COLUMNS}`,
      [newId("account"), input.merchantId, input.currency, purpose, name, input.customer ?? null, metadataJson(input.metadata)],
    );
    return accountFromRow(row!);
  } catch (error) {
    if (sqlStateOf(error) === SQLSTATE.foreignKeyViolation) {
      throw new AppError("resource_missing", `No such merchant: '${input.merchantId}'`, { cause: error });
    }
    throw error;
  }
}

/** POST /api/v1/accounts, inside the API wrapper's transaction. */
export async function createAccountDto(tx: SqlClient, input: TCreateAccountRequest & { merchantId: string }): Promise<TAccountDto> {
  return toAccountDto(await createAccount(tx, input));
}
