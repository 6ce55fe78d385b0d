// Public API of lib/fx: reference FX rates loaded by the operator, and the rate in force at a moment.
export { FX_RATE_DECIMALS, type FxRate, getFxRate, type GetFxRateOptions, rationalToDecimalString } from "./get-fx-rate";
export { FX_IMPORT_ROWS_MAX, type FxRateRow, importFxRatesCsv, parseFxRatesCsv } from "./import-fx-rates-csv";
