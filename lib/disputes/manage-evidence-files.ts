// Dispute evidence files: upload (type sniffed from the bytes, size limits, sha256, stored in PostgreSQL),
// list, download. Upload and download each write an audit row (ids, sizes and hashes only: no file names,
// which may carry personal data).
import { createHash } from "node:crypto";
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import {
  EVIDENCE_FILE_SELECT, EVIDENCE_FILES_MAX_BYTES, EVIDENCE_FILES_PER_DISPUTE_MAX, type EvidenceFileField, safeFilename, sniffEvidenceType,
  type SniffedType, type TEvidenceFileDto, toEvidenceFileDto,
} from "./evidence-file.types";

export const OPEN_DISPUTE_STATUSES = ["needs_response", "warning_needs_response"];

const MAX_MB = (EVIDENCE_FILES_MAX_BYTES / 1024 / 1024).toFixed(1);

/** Checks an upload before anything is stored: present, not empty, not too large, a PDF, PNG or JPEG by content. */
export function validateEvidenceFile(bytes: Uint8Array | null): SniffedType {
  if (bytes === null) throw new AppError("parameter_missing", "Attach the evidence as the multipart field 'file'.", { param: "file" });
  if (bytes.byteLength === 0) throw new AppError("parameter_invalid", "The file is empty.", { param: "file" });
  if (bytes.byteLength > EVIDENCE_FILES_MAX_BYTES) {
    throw new AppError("body_too_large", `Evidence files are limited to ${MAX_MB} MB (${EVIDENCE_FILES_MAX_BYTES} bytes).`, { param: "file" });
  }
  const sniffed = sniffEvidenceType(bytes);
  if (!sniffed) {
    throw new AppError("unsupported_content_type", "Evidence files must be PDF, PNG or JPEG (judged by the file's content, not its name).", { param: "file" });
  }
  return sniffed;
}

async function findDisputeOrThrow(merchantId: string, disputeId: string) {
  const dispute = await db().dispute.findFirst({ where: { id: disputeId, merchantId }, select: { id: true, status: true } });
  if (!dispute) throw new AppError("resource_missing", `No such dispute: '${disputeId}'`, { param: "id" });
  return dispute;
}

export async function uploadDisputeEvidenceFile(input: {
  merchantId: string; disputeId: string; actor: Actor; field: EvidenceFileField; filename: string | null; bytes: Uint8Array | null;
}): Promise<TEvidenceFileDto> {
  const sniffed = validateEvidenceFile(input.bytes);
  const content = Buffer.from(input.bytes!);
  const sha256 = createHash("sha256").update(content).digest("hex");
  await findDisputeOrThrow(input.merchantId, input.disputeId);
  return db().$transaction(async (tx) => {
    // One upload at a time per dispute, so the combined limit holds under concurrency.
    const [dispute] = await tx.$queryRaw<{ status: string }[]>`
      select status from disputes where id = ${input.disputeId} and merchant_id = ${input.merchantId} for update`;
    if (!dispute || !OPEN_DISPUTE_STATUSES.includes(dispute.status)) {
      throw new AppError("invalid_state_transition", `Dispute ${input.disputeId} is ${dispute?.status ?? "gone"}; evidence can no longer be added.`);
    }
    const same = await tx.disputeEvidenceFile.findUnique({ where: { disputeId_sha256: { disputeId: input.disputeId, sha256 } }, select: EVIDENCE_FILE_SELECT });
    if (same) return toEvidenceFileDto(same); // the same bytes again (a retry, a double click): the same file
    const totals = await tx.disputeEvidenceFile.aggregate({ where: { disputeId: input.disputeId }, _sum: { sizeBytes: true }, _count: true });
    if (totals._count >= EVIDENCE_FILES_PER_DISPUTE_MAX) {
      throw new AppError("parameter_invalid", `A dispute takes at most ${EVIDENCE_FILES_PER_DISPUTE_MAX} evidence files.`, { param: "file" });
    }
    if ((totals._sum.sizeBytes ?? 0) + content.byteLength > EVIDENCE_FILES_MAX_BYTES) {
      throw new AppError("body_too_large", `A dispute's evidence files are limited to ${MAX_MB} MB combined.`, { param: "file" });
    }
    const file = await tx.disputeEvidenceFile.create({
      data: {
        id: newId("file"), merchantId: input.merchantId, disputeId: input.disputeId, field: input.field,
        filename: safeFilename(input.filename, sniffed), contentType: sniffed.contentType, sizeBytes: content.byteLength, sha256, content,
        uploadedBy: `${input.actor.type}:${input.actor.id}`,
      },
      select: EVIDENCE_FILE_SELECT,
    });
    await recordAuditEvent({
      merchantId: input.merchantId, actor: input.actor, action: "dispute.evidence_file_uploaded", target: { type: "dispute", id: input.disputeId },
      data: { file: file.id, field: file.field, type: sniffed.type, size: file.sizeBytes, sha256 },
    }, tx);
    return toEvidenceFileDto(file);
  });
}

export async function listDisputeEvidenceFiles(merchantId: string, disputeId: string): Promise<TEvidenceFileDto[]> {
  await findDisputeOrThrow(merchantId, disputeId);
  const files = await db().disputeEvidenceFile.findMany({
    where: { merchantId, disputeId }, orderBy: { id: "asc" }, take: EVIDENCE_FILES_PER_DISPUTE_MAX, select: EVIDENCE_FILE_SELECT,
  });
  return files.map(toEvidenceFileDto);
}

/** The file as an attachment; the audit row commits before any byte is sent. */
export async function downloadDisputeEvidenceFile(input: { merchantId: string; disputeId: string; fileId: string; actor: Actor }): Promise<Response> {
  const file = await db().disputeEvidenceFile.findFirst({
    where: { id: input.fileId, disputeId: input.disputeId, merchantId: input.merchantId },
    select: { id: true, filename: true, contentType: true, sha256: true, sizeBytes: true, content: true },
  });
  if (!file) throw new AppError("resource_missing", `No such file: '${input.fileId}'`, { param: "file" });
  await recordAuditEvent({
    merchantId: input.merchantId, actor: input.actor, action: "dispute.evidence_file_downloaded", target: { type: "dispute", id: input.disputeId },
    data: { file: file.id, size: file.sizeBytes, sha256: file.sha256 },
  });
  const ascii = file.filename.replace(/[^\x20-\x7e]/g, "_");
  return new Response(new Uint8Array(file.content), {
    status: 200,
    headers: {
      "content-type": file.contentType,
      "content-length": String(file.sizeBytes),
      "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox; default-src 'none'",
      "cache-control": "private, no-store",
      etag: `"${file.sha256}"`,
    },
  });
}

/** Checks that evidence file fields name files of this dispute; returns them by field. */
export async function resolveEvidenceFileFields(
  merchantId: string, disputeId: string, fields: Partial<Record<EvidenceFileField, string>>,
): Promise<Map<EvidenceFileField, string>> {
  const wanted = Object.entries(fields).filter(([, id]) => typeof id === "string" && id !== "") as [EvidenceFileField, string][];
  if (wanted.length === 0) return new Map();
  const found = await db().disputeEvidenceFile.findMany({ where: { merchantId, disputeId, id: { in: wanted.map(([, id]) => id) } }, select: { id: true } });
  const known = new Set(found.map((file) => file.id));
  for (const [field, id] of wanted) {
    if (!known.has(id)) throw new AppError("resource_missing", `No such file for this dispute: '${id}'`, { param: `evidence[${field}]` });
  }
  return new Map(wanted);
}
