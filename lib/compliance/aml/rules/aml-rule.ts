// What an AML monitoring rule sees: the movement, its USD-equivalent, and the customer's and wallet's
// recent history (gathered once by evaluateAml). Rules are pure; a hit holds the movement for review.
import type { RiskReason } from "@/lib/fraud/assess-payment-risk.types";
import type { AmlConfig } from "../aml-config";

export type AmlMovement = { amountUsdMinor: bigint | null; occurredAt: Date };

export type AmlFacts = {
  subjectType: "payment" | "transfer";
  amountMinor: bigint;
  currency: string;
  /** null when no FX rate to USD was loaded for the time. */
  amountUsdMinor: bigint | null;
  occurredAt: Date;
  /** The same customer's earlier payments and transfers (not this one), newest first. */
  customerHistory: AmlMovement[];
  /** For transfers out of a customer wallet: what flowed in and out of it during the rapid window. */
  wallet: { inflowUsdMinor: bigint; outflowUsdMinor: bigint } | null;
  /** For transfers: the travel-rule data that came with it. */
  travelRule: { originatorName: string | null; beneficiaryName: string | null } | null;
};

export type AmlRule = { name: string; evaluate(facts: AmlFacts, config: AmlConfig): RiskReason[] };

export function formatUsd(minor: bigint): string {
  const sign = minor < 0n ? "-" : "";
  const abs = minor < 0n ? -minor : minor;
  return `${sign}${(abs / 100n).toLocaleString("en-US")}.${(abs % 100n).toString().padStart(2, "0")} USD`;
}
