// Screens one payment or transfer on request: AML rules against the customer's recorded history plus
// sanctions screening of the names given. A hit opens a review (one per subject); nothing else changes.
import type { Actor } from "@/lib/compliance/record-audit-event";
import { screenName } from "@/lib/compliance/sanctions/screen-name";
import type { RiskReason } from "@/lib/fraud/assess-payment-risk.types";
import { getRiskSettings } from "@/lib/fraud/risk-settings";
import { toUsdMinor } from "@/lib/fraud/usd-equivalent";
import { customerMovements } from "./gather-aml-facts";
import { openReview } from "./reviews/open-review";
import type { TReviewDto } from "./reviews/review.types";
import { runAmlRules } from "./rules";
import type { TScreenTransactionRequest } from "./screen-transaction.types";

export type ScreeningDto = { object: "screening"; outcome: "allow" | "review"; reasons: RiskReason[]; review: TReviewDto | null };

export async function screenTransaction(input: TScreenTransactionRequest & { merchantId: string; actor: Actor; occurredAt?: Date }): Promise<ScreeningDto> {
  const occurredAt = input.occurredAt ?? new Date();
  const settings = await getRiskSettings(input.merchantId);
  const amountUsdMinor = await toUsdMinor(input.amount, input.currency, occurredAt);
  const aml = runAmlRules(
    {
      subjectType: input.subject_type,
      amountMinor: input.amount,
      currency: input.currency,
      amountUsdMinor,
      occurredAt,
      customerHistory: input.customer ? await customerMovements(input.merchantId, input.customer, occurredAt, settings.rules.aml) : [],
      wallet: null,
      travelRule: input.subject_type === "transfer" ? { originatorName: input.originator_name ?? null, beneficiaryName: input.beneficiary_name ?? null } : null,
    },
    settings.rules.aml,
  );
  const reasons = [...aml.reasons];
  let hold = aml.hold;
  const names = [["customer", input.customer_name], ["originator", input.originator_name], ["beneficiary", input.beneficiary_name]] as const;
  for (const [role, name] of names) {
    if (!name) continue;
    const screened = await screenName(name);
    if (!screened.hit) continue;
    hold = true;
    const best = screened.matches[0]!;
    reasons.push({ rule: "sanctions", detail: `${role} '${name}' resembles '${best.listedName}' on ${best.listId} (${best.score})`, weight: 0 });
  }
  if (!hold) return { object: "screening", outcome: "allow", reasons, review: null };
  const { opened: _opened, ...review } = await openReview({
    merchantId: input.merchantId, subjectType: input.subject_type, subjectId: input.subject_id, reasons,
    amountMinor: input.amount, currency: input.currency, actor: input.actor,
  });
  return { object: "screening", outcome: "review", reasons, review };
}
