// Dispute evidence files: the accepted types (decided by the content's magic bytes, never by the name or
// the declared type), the limits, the evidence fields a file can back, and the file object of the API.
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Stripe's limit for a dispute's file evidence, combined; also the limit for one file. */
export const EVIDENCE_FILES_MAX_BYTES = 4_718_592; // 4.5 MiB
/** Files per dispute (each evidence file field takes one; a few spare for replacements). */
export const EVIDENCE_FILES_PER_DISPUTE_MAX = 20;
/** Multipart overhead allowed on top of the file (boundaries, the field and filename parts). */
export const EVIDENCE_UPLOAD_BODY_LIMIT_BYTES = EVIDENCE_FILES_MAX_BYTES + 64 * 1024;

/** Stripe's dispute evidence fields that take a file id. */
export const EVIDENCE_FILE_FIELDS = [
  "cancellation_policy", "customer_communication", "customer_signature", "duplicate_charge_documentation", "receipt",
  "refund_policy", "service_documentation", "shipping_documentation", "uncategorized_file",
] as const;
export type EvidenceFileField = (typeof EVIDENCE_FILE_FIELDS)[number];

export const ZEvidenceFileField = z.enum(EVIDENCE_FILE_FIELDS).default("uncategorized_file");
export const ZFileId = z.string().regex(/^file_[0-9a-z]{26}$/, "must be a file id (file_…)");

export type SniffedType = { contentType: "application/pdf" | "image/png" | "image/jpeg"; type: "pdf" | "png" | "jpg" };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
}

/** The file's real type from its first bytes, or null when it is none of PDF, PNG and JPEG. */
export function sniffEvidenceType(bytes: Uint8Array): SniffedType | null {
  // %PDF-1.x / %PDF-2.0
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]) && bytes.length >= 8) return { contentType: "application/pdf", type: "pdf" };
  // The PNG signature followed by the IHDR chunk header (length 13).
  if (startsWith(bytes, PNG_SIGNATURE) && startsWith(bytes, [0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52], 8)) {
    return { contentType: "image/png", type: "png" };
  }
  // SOI then a marker (APP0/APP1/DQT/…): FF D8 FF xx.
  if (startsWith(bytes, [0xff, 0xd8, 0xff]) && bytes.length >= 4 && bytes[3]! >= 0xc0) return { contentType: "image/jpeg", type: "jpg" };
  return null;
}

/** A display and download name: no path, no control or quote characters, the sniffed extension at the end. */
export function safeFilename(name: string | null | undefined, sniffed: SniffedType): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  let clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "").replace(/\s+/g, " ").trim().slice(0, 120);
  if (clean === "" || clean === "." || clean === "..") clean = "evidence";
  const extensions = sniffed.type === "jpg" ? [".jpg", ".jpeg"] : [`.${sniffed.type}`];
  return extensions.some((ext) => clean.toLowerCase().endsWith(ext)) ? clean : `${clean}.${sniffed.type}`;
}

export type EvidenceFileRow = Omit<Prisma.DisputeEvidenceFileGetPayload<object>, "content">;

export const EVIDENCE_FILE_SELECT = {
  id: true, merchantId: true, disputeId: true, field: true, filename: true, contentType: true, sizeBytes: true, sha256: true,
  uploadedBy: true, createdAt: true, submittedAt: true,
} as const satisfies Prisma.DisputeEvidenceFileSelect;

export function toEvidenceFileDto(file: EvidenceFileRow) {
  return {
    id: file.id,
    object: "file" as const,
    purpose: "dispute_evidence" as const,
    dispute: file.disputeId,
    field: file.field,
    filename: file.filename,
    type: file.contentType === "application/pdf" ? "pdf" : file.contentType === "image/png" ? "png" : "jpg",
    size: file.sizeBytes,
    sha256: file.sha256,
    created: file.createdAt.toISOString(),
    submitted_at: file.submittedAt?.toISOString() ?? null,
    url: `/api/v1/disputes/${file.disputeId}/files/${file.id}`,
  };
}
export type TEvidenceFileDto = ReturnType<typeof toEvidenceFileDto>;
