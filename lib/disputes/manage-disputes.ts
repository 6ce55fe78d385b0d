// Reading disputes and submitting evidence to the PSP (the outcome arrives later as charge.dispute.closed).
import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { finishPage, idPage, listResponse, type ListResponse } from "@/lib/api/pagination";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { callPsp } from "@/lib/psp/psp-gateway";
import { toDisputeDto, type TDisputeDto, type TListDisputesQuery, type TSubmitEvidenceRequest } from "./dispute.types";
import { applyPspDispute } from "./sync-dispute";

export async function getDispute(merchantId: string, disputeId: string): Promise<TDisputeDto> {
  const dispute = await db().dispute.findFirst({ where: { id: disputeId, merchantId } });
  if (!dispute) throw new AppError("resource_missing", `No such dispute: '${disputeId}'`, { param: "id" });
  return toDisputeDto(dispute);
}

export async function listDisputes(merchantId: string, query: TListDisputesQuery): Promise<ListResponse<TDisputeDto>> {
  const page = idPage(query);
  const rows = await db().dispute.findMany({
    where: { merchantId, ...page.where, ...(query.payment ? { paymentId: query.payment } : {}) },
    orderBy: page.orderBy,
    take: page.take,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/disputes", data.map(toDisputeDto), hasMore);
}

export async function submitDisputeEvidence(input: { merchantId: string; disputeId: string; actor: Actor } & TSubmitEvidenceRequest): Promise<TDisputeDto> {
  const dispute = await db().dispute.findFirst({ where: { id: input.disputeId, merchantId: input.merchantId } });
  if (!dispute) throw new AppError("resource_missing", `No such dispute: '${input.disputeId}'`, { param: "id" });
  if (!["needs_response", "warning_needs_response"].includes(dispute.status)) {
    throw new AppError("invalid_state_transition", `Dispute ${dispute.id} is ${dispute.status}; evidence can no longer be submitted.`);
  }
  const digest = createHash("sha256").update(JSON.stringify([input.evidence, input.submit])).digest("hex").slice(0, 16);
  const outcome = await callPsp("disputes.update", (stripe) =>
    stripe.disputes.update(dispute.pspDisputeId, { evidence: input.evidence as Stripe.DisputeUpdateParams.Evidence, submit: input.submit }, { idempotencyKey: `v1:dispute:${dispute.id}:evidence:${digest}` }),
  );
  if (outcome.kind === "ambiguous") throw new AppError("psp_unavailable", "The PSP did not answer; retry with the same Idempotency-Key.");
  if (outcome.kind !== "ok") throw new AppError("invalid_state_transition", `The PSP refused the evidence: ${outcome.error.message}`);
  await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: input.submit ? "dispute.evidence_submitted" : "dispute.evidence_saved", target: { type: "dispute", id: dispute.id } });
  const applied = await applyPspDispute(outcome.value, input.actor);
  return toDisputeDto(applied ?? dispute);
}
