// Reading disputes and submitting evidence to the PSP (the outcome arrives later as charge.dispute.closed).
import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { finishPage, idPage, listResponse, type ListResponse } from "@/lib/api/pagination";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { callPsp } from "@/lib/psp/psp-gateway";
import { EVIDENCE_TEXT_FIELDS, toDisputeDto, type TDisputeDto, type TListDisputesQuery, type TSubmitEvidenceRequest } from "./dispute.types";
import { EVIDENCE_FILE_FIELDS, type EvidenceFileField } from "./evidence-file.types";
import { listDisputeEvidenceFiles, OPEN_DISPUTE_STATUSES, resolveEvidenceFileFields } from "./manage-evidence-files";
import { applyPspDispute } from "./sync-dispute";

export async function getDispute(merchantId: string, disputeId: string): Promise<TDisputeDto> {
  const dispute = await db().dispute.findFirst({ where: { id: disputeId, merchantId } });
  if (!dispute) throw new AppError("resource_missing", `No such dispute: '${disputeId}'`, { param: "id" });
  return toDisputeDto(dispute, await listDisputeEvidenceFiles(merchantId, disputeId));
}

export async function listDisputes(merchantId: string, query: TListDisputesQuery): Promise<ListResponse<TDisputeDto>> {
  const page = idPage(query);
  const rows = await db().dispute.findMany({
    where: { merchantId, ...page.where, ...(query.payment ? { paymentId: query.payment } : {}) },
    orderBy: page.orderBy,
    take: page.take,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  return listResponse("/api/v1/disputes", data.map((row) => toDisputeDto(row)), hasMore);
}

export async function submitDisputeEvidence(input: { merchantId: string; disputeId: string; actor: Actor } & TSubmitEvidenceRequest): Promise<TDisputeDto> {
  const dispute = await db().dispute.findFirst({ where: { id: input.disputeId, merchantId: input.merchantId } });
  if (!dispute) throw new AppError("resource_missing", `No such dispute: '${input.disputeId}'`, { param: "id" });
  if (!OPEN_DISPUTE_STATUSES.includes(dispute.status)) {
    throw new AppError("invalid_state_transition", `Dispute ${dispute.id} is ${dispute.status}; evidence can no longer be submitted.`);
  }
  const fileFields = await resolveEvidenceFileFields(
    input.merchantId, dispute.id,
    Object.fromEntries(EVIDENCE_FILE_FIELDS.map((field) => [field, input.evidence[field]])) as Partial<Record<EvidenceFileField, string>>,
  );
  // Only text goes to the PSP: the files live in Settle (the sandbox has no Files API, and a Stripe file
  // field needs a Stripe file id), listed on the dispute as evidence_files.
  const text = Object.fromEntries(EVIDENCE_TEXT_FIELDS.flatMap((field) => (input.evidence[field] === undefined ? [] : [[field, input.evidence[field]]])));
  const digest = createHash("sha256").update(JSON.stringify([text, input.submit])).digest("hex").slice(0, 16);
  const outcome = await callPsp("disputes.update", (stripe) =>
    stripe.disputes.update(dispute.pspDisputeId, { evidence: text as Stripe.DisputeUpdateParams.Evidence, submit: input.submit }, { idempotencyKey: `v1:dispute:${dispute.id}:evidence:${digest}` }),
  );
  if (outcome.kind === "ambiguous") throw new AppError("psp_unavailable", "The PSP did not answer; retry with the same Idempotency-Key.");
  if (outcome.kind !== "ok") throw new AppError("invalid_state_transition", `The PSP refused the evidence: ${outcome.error.message}`);
  await db().$transaction(async (tx) => {
    for (const [field, fileId] of fileFields) await tx.disputeEvidenceFile.update({ where: { id: fileId }, data: { field } });
    if (input.submit) await tx.disputeEvidenceFile.updateMany({ where: { disputeId: dispute.id, submittedAt: null }, data: { submittedAt: new Date() } });
    await recordAuditEvent({
      merchantId: input.merchantId, actor: input.actor, action: input.submit ? "dispute.evidence_submitted" : "dispute.evidence_saved", target: { type: "dispute", id: dispute.id },
      data: { text_fields: Object.keys(text), files: Object.fromEntries(fileFields) },
    }, tx);
  });
  const applied = await applyPspDispute(outcome.value, input.actor);
  return toDisputeDto(applied ?? dispute, await listDisputeEvidenceFiles(input.merchantId, dispute.id));
}
