// AML monitoring of a wallet transfer, called by transfers before posting: thresholds, travel rule,
// daily aggregate, structuring, rapid in-and-out, plus sanctions screening of the names it carries.
// A hit opens a review (the transfer waits for a human); every assessed transfer is recorded so later
// aggregates see it.
import { z } from "zod";
import { screenName } from "@/lib/compliance/sanctions/screen-name";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import type { RiskReason } from "@/lib/fraud/assess-payment-risk.types";
import { newRiskId } from "@/lib/fraud/risk-ids";
import { getRiskSettings } from "@/lib/fraud/risk-settings";
import { toUsdMinor } from "@/lib/fraud/usd-equivalent";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ZCurrencyCode } from "@/lib/money";
import { customerMovements, findAccount, walletFlows } from "./gather-aml-facts";
import { openReview } from "./reviews/open-review";
import { runAmlRules } from "./rules";

export const ZAssessTransferRiskInput = z.object({
  merchantId: z.string().min(1),
  /** The transfer's id (created before posting), the subject of a review. */
  transferId: z.string().min(1).max(100),
  fromAccountId: z.string().min(1).max(100),
  toAccountId: z.string().min(1).max(100),
  amountMinor: z.bigint().positive(),
  currency: ZCurrencyCode,
  /** Defaults to the source account's customer reference. */
  customerId: z.string().min(1).max(100).optional(),
  originatorName: z.string().max(500).optional(),
  beneficiaryName: z.string().max(500).optional(),
  occurredAt: z.date(),
  actor: z.custom<Actor>().optional(),
});
export type TAssessTransferRiskInput = z.input<typeof ZAssessTransferRiskInput>;

export type TransferRiskAssessment = {
  outcome: "allow" | "review";
  reasons: RiskReason[];
  assessmentId: string;
  reviewId?: string;
};

export async function assessTransferRisk(raw: TAssessTransferRiskInput): Promise<TransferRiskAssessment> {
  const input = ZAssessTransferRiskInput.parse(raw);
  const settings = await getRiskSettings(input.merchantId);
  const config = settings.rules.aml;
  const [amountUsdMinor, fromAccount] = await Promise.all([toUsdMinor(input.amountMinor, input.currency, input.occurredAt), findAccount(input.merchantId, input.fromAccountId)]);
  const customerId = input.customerId ?? fromAccount?.customerRef ?? undefined;
  const [history, wallet] = await Promise.all([
    customerId ? customerMovements(input.merchantId, customerId, input.occurredAt, config, input.transferId) : Promise.resolve([]),
    fromAccount?.isWallet ? walletFlows(fromAccount, input.occurredAt, config) : Promise.resolve(null),
  ]);
  const aml = runAmlRules(
    {
      subjectType: "transfer",
      amountMinor: input.amountMinor,
      currency: input.currency,
      amountUsdMinor,
      occurredAt: input.occurredAt,
      customerHistory: history,
      wallet,
      travelRule: { originatorName: input.originatorName ?? null, beneficiaryName: input.beneficiaryName ?? null },
    },
    config,
  );
  const reasons = [...aml.reasons];
  let hold = aml.hold;
  for (const [role, name] of [["originator", input.originatorName], ["beneficiary", input.beneficiaryName]] as const) {
    if (!name) continue;
    const screened = await screenName(name);
    if (screened.hit) {
      hold = true;
      const best = screened.matches[0]!;
      reasons.push({ rule: "sanctions", detail: `${role} '${name}' resembles '${best.listedName}' on ${best.listId} (${best.score})`, weight: 0 });
    }
  }

  const outcome = hold ? "review" : "allow";
  const assessmentId = newRiskId("ra");
  const result = await db().$transaction(async (tx) => {
    await tx.amlTransfer.upsert({
      where: { merchantId_transferId: { merchantId: input.merchantId, transferId: input.transferId } },
      create: {
        merchantId: input.merchantId, transferId: input.transferId, customerId: customerId ?? null, fromAccountId: input.fromAccountId,
        toAccountId: input.toAccountId, amountMinor: input.amountMinor, currency: input.currency, amountUsdMinor, occurredAt: input.occurredAt,
      },
      update: {},
    });
    await tx.riskAssessment.create({
      data: {
        id: assessmentId, merchantId: input.merchantId, subjectType: "transfer", subjectId: input.transferId, outcome, score: 0,
        reasons: reasons as unknown as Prisma.InputJsonValue, features: { amountUsdMinor: amountUsdMinor?.toString() ?? null, customerId: customerId ?? null },
        modelVersion: "aml-rules-1",
      },
    });
    if (!hold) return { outcome, reasons, assessmentId } as TransferRiskAssessment;
    const review = await openReview(
      { merchantId: input.merchantId, subjectType: "transfer", subjectId: input.transferId, reasons, amountMinor: input.amountMinor, currency: input.currency, actor: input.actor },
      tx,
    );
    return { outcome, reasons, assessmentId, reviewId: review.id } as TransferRiskAssessment;
  });
  return result;
}
