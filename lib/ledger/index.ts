// Public API of lib/ledger: import from "@/lib/ledger", not from its files.
export { type AccountFacts, getAccountFacts } from "./account-facts";
export { accountFromRow, toAccountDto } from "./account-rows";
export {
  type LedgerAccount,
  type TAccountDto,
  type TCreateAccountRequest,
  type TListAccountsQuery,
  ZAccountDto,
  ZCreateAccountRequest,
  ZListAccountsQuery,
} from "./account.types";
export {
  ACCOUNT_STATUSES,
  ACCOUNT_TYPES,
  type AccountStatus,
  type AccountType,
  API_ACCOUNT_PURPOSES,
  CHART_CODES,
  CHART_OF_ACCOUNTS,
  type ChartCode,
  normalSideOf,
  type Side,
} from "./chart-of-accounts";
export { createAccount, createAccountDto, type CreateAccountInput } from "./create-account";
export { createTransfer, createTransferDto, createTransferIdempotent, type CreateTransferInput, createTransferNow, toTransferDto } from "./create-transfer";
export {
  type TCreateTransferRequest,
  type TListTransfersQuery,
  type TransferRecord,
  type TTransferDto,
  ZCreateTransferRequest,
  ZListTransfersQuery,
  ZTransferDto,
} from "./create-transfer.types";
export { ensureMerchantAccounts, type MerchantAccountIds } from "./ensure-merchant-accounts";
export { findAccount, getAccountDto, getAccountOrThrow } from "./get-account";
export { getLedgerHealth, type LedgerHealth, resolveLedgerAlert } from "./get-ledger-health";
export { listAccounts, listAccountsPage } from "./list-accounts";
export { getBalanceAsOf, listEntries, listEntriesPage, toEntryDto } from "./list-entries";
export { type LedgerEntryRecord, type TEntryDto, type TListEntriesQuery, ZEntryDto, ZListEntriesQuery } from "./list-entries.types";
export { getTransferDto, getTransferOrThrow, listTransfers, listTransfersPage } from "./list-transfers";
export { type FxConversion, postFxConversion, type PostFxConversionInput } from "./post-fx-conversion";
export { assertBalanced, postTransaction, postTransactionNow } from "./post-transaction";
export { type DeferredPostingRequest, postTransactionAtCommit } from "./post-at-commit";
export {
  ENTRIES_PER_TRANSACTION_MAX,
  type PostedEntry,
  type PostedTransaction,
  type TPostingEntry,
  type TPostTransactionRequest,
  ZPostTransactionRequest,
} from "./post-transaction.types";
export { reverseTransaction } from "./reverse-transaction";
export {
  type BalanceCheckpoint,
  type BalanceCheckResult,
  type BalanceMismatch,
  getBalanceCheckpoint,
  runBalanceCheck,
  runBalanceCheckIncrement,
  startBalanceCheckLoop,
} from "./run-balance-check";
export { setAccountStatus } from "./set-account-status";
export { createTransferBatched, createTransferBatcher, sharedTransferBatcher, TRANSFER_BATCH_SIZE_MAX, type TransferBatcher } from "./transfer-batcher";
export { postTransfers, type PreparedTransfer, prepareTransfer, type TransferOutcome } from "./post-transfers";
export { isRetryableSqlError, LEDGER_RETRY_ATTEMPTS_MAX, type SqlClient, withLedgerRetry } from "./sql";
