// Public API of lib/fraud: the pre-PSP payment risk check, attempt recording, settings and lists.
export { assessPaymentRisk } from "./assess-payment-risk";
export * from "./assess-payment-risk.types";
export { addRiskListEntry, listRiskListEntries, removeRiskListEntry } from "./manage-risk-lists";
export { recordPaymentAttempt } from "./record-payment-attempt";
export { getRiskSettings, getRiskSettingsDto, updateRiskSettings, type RiskSettings } from "./risk-settings";
export { assessTransferRisk, type TransferRiskAssessment } from "@/lib/compliance/aml/assess-transfer-risk";
