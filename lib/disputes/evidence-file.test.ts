// Evidence file validation (pure): the type comes from the magic bytes, never from the name; empty, too
// large and unknown content are refused with the API's error codes; the due-date wording.
import { describe, expect, test } from "vitest";
import { describeEvidenceDue } from "./evidence-due";
import { EVIDENCE_FILES_MAX_BYTES, safeFilename, sniffEvidenceType } from "./evidence-file.types";
import { validateEvidenceFile } from "./manage-evidence-files";
import { bytes, JPEG, PDF, PNG } from "./testing";


describe("sniffEvidenceType", () => {
  test("PDF, PNG and JPEG by their magic bytes", () => {
    expect(sniffEvidenceType(PDF)).toEqual({ contentType: "application/pdf", type: "pdf" });
    expect(sniffEvidenceType(PNG)).toEqual({ contentType: "image/png", type: "png" });
    expect(sniffEvidenceType(JPEG)).toEqual({ contentType: "image/jpeg", type: "jpg" });
  });

  test("anything else is refused, whatever it is called", () => {
    for (const other of [
      bytes("hello, this is text"), bytes("GIF89a\x01\x00\x01\x00"), bytes("MZ\x90\x00\x03"), bytes("<html><script>"), bytes("%PDF"),
      bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), bytes([0xff, 0xd8]), bytes("PK\x03\x04"), new Uint8Array(0), bytes(" %PDF-1.7"),
    ]) {
      expect(sniffEvidenceType(other)).toBeNull();
    }
  });
});

describe("validateEvidenceFile", () => {
  test("missing, empty, too large and wrong type → the API's errors with param file", () => {
    expect(() => validateEvidenceFile(null)).toThrow(expect.objectContaining({ code: "parameter_missing", param: "file" }));
    expect(() => validateEvidenceFile(new Uint8Array(0))).toThrow(expect.objectContaining({ code: "parameter_invalid", param: "file", status: 400 }));
    const large = new Uint8Array(EVIDENCE_FILES_MAX_BYTES + 1);
    large.set(PDF);
    expect(() => validateEvidenceFile(large)).toThrow(expect.objectContaining({ code: "body_too_large", param: "file", status: 413 }));
    expect(() => validateEvidenceFile(bytes("just text named receipt.pdf"))).toThrow(expect.objectContaining({ code: "unsupported_content_type", status: 415 }));
  });

  test("exactly at the limit is fine", () => {
    const limit = new Uint8Array(EVIDENCE_FILES_MAX_BYTES);
    limit.set(PDF);
    expect(validateEvidenceFile(limit).type).toBe("pdf");
  });
});

describe("safeFilename", () => {
  const pdf = { contentType: "application/pdf", type: "pdf" } as const;
  test("keeps a good name, strips paths and control characters, ends with the sniffed extension", () => {
    expect(safeFilename("receipt.pdf", pdf)).toBe("receipt.pdf");
    expect(safeFilename("../../etc/passwd", pdf)).toBe("passwd.pdf");
    expect(safeFilename("C:\\Users\\a\\invoice.PDF", pdf)).toBe("invoice.PDF");
    expect(safeFilename('evil"\r\nname.exe', pdf)).toBe("evilname.exe.pdf");
    expect(safeFilename("", pdf)).toBe("evidence.pdf");
    expect(safeFilename("photo.jpeg", { contentType: "image/jpeg", type: "jpg" })).toBe("photo.jpeg");
  });
});

describe("describeEvidenceDue", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  test("time left in words, with urgency", () => {
    expect(describeEvidenceDue(null, now)).toEqual({ label: "No due date given", urgency: "none" });
    expect(describeEvidenceDue("2026-11-26T11:00:00Z", now)).toEqual({ label: "Past due", urgency: "past_due" });
    expect(describeEvidenceDue("2026-11-26T14:30:00Z", now)).toEqual({ label: "2 hours 30 minutes left", urgency: "urgent" });
    expect(describeEvidenceDue("2026-11-28T13:00:00Z", now)).toEqual({ label: "2 days 1 hour left", urgency: "soon" });
    expect(describeEvidenceDue("2026-12-03T12:00:00Z", now)).toEqual({ label: "7 days 0 hours left", urgency: "normal" });
    expect(describeEvidenceDue("2026-11-26T12:00:20Z", now)).toEqual({ label: "1 minute left", urgency: "urgent" });
  });
});
