// Dispute evidence files through the API routes, against a real PostgreSQL and a real sandbox dispute:
// multipart upload (type by content, size limits, empty), list, download with audit rows, another
// merchant's dispute, attaching a file to the evidence and submitting it.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as evidenceRoute } from "@/app/api/v1/disputes/[id]/evidence/route";
import { GET as downloadRoute } from "@/app/api/v1/disputes/[id]/files/[fileId]/route";
import { GET as listFilesRoute, POST as uploadRoute } from "@/app/api/v1/disputes/[id]/files/route";
import { GET as getDisputeRoute } from "@/app/api/v1/disputes/[id]/route";
import { GET as listDisputesRoute } from "@/app/api/v1/disputes/route";
import { POST as createRoute } from "@/app/api/v1/payments/route";
import { POST as webhookRoute } from "@/app/api/webhooks/stripe/route";
import { db } from "@/lib/db/client";
import { call, makeMerchant, startPaymentsHarness, type PaymentsHarness } from "@/lib/payments/testing";
import { processPspEvents } from "@/lib/webhooks/psp/process-psp-events";
import { makeRestrictedKey, routeParams } from "@/tests/fixtures";
import { EVIDENCE_FILES_MAX_BYTES } from "./evidence-file.types";
import { bytes, JPEG, PDF, PNG } from "./testing";

let h: PaymentsHarness;
let merchant: { merchantId: string; secret: string };

beforeAll(async () => {
  h = await startPaymentsHarness({ webhookRoute: (request) => webhookRoute(request) });
  merchant = await makeMerchant("EvidenceFiles");
});
afterAll(async () => {
  await h?.close();
});

async function drain(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await h.control.flushWebhooks();
    await processPspEvents();
    for (let wait = 0; wait < 100 && (await db().pspEvent.count({ where: { status: { in: ["pending", "processing"] } } })) > 0; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await processPspEvents();
    }
  }
}

async function openDispute(): Promise<string> {
  const { body } = await call(createRoute, "/api/v1/payments", { secret: merchant.secret, body: { amount: 7000, currency: "USD", payment_method: "pm_card_createDispute" } });
  await h.control.flushScheduler();
  await drain();
  const list = await call(listDisputesRoute, `/api/v1/disputes?payment=${body.id}`, { secret: merchant.secret });
  expect(list.body.data).toHaveLength(1);
  expect(list.body.data[0].status).toBe("needs_response");
  return list.body.data[0].id;
}

async function upload(disputeId: string, content: Uint8Array | null, options: { filename?: string; type?: string; field?: string; secret?: string; text?: Record<string, string> } = {}) {
  const form = new FormData();
  if (options.field) form.set("field", options.field);
  for (const [name, value] of Object.entries(options.text ?? {})) form.set(name, value);
  if (content) form.set("file", new File([content as Uint8Array<ArrayBuffer>], options.filename ?? "evidence.bin", { type: options.type ?? "application/octet-stream" }));
  const request = new Request(`http://localhost:3000/api/v1/disputes/${disputeId}/files`, {
    method: "POST", headers: { authorization: `Bearer ${options.secret ?? merchant.secret}` }, body: form,
  });
  const response = await uploadRoute(request, routeParams({ id: disputeId }));
  return { status: response.status, body: await response.json() };
}

const download = (disputeId: string, fileId: string, secret = merchant.secret) =>
  downloadRoute(new Request(`http://localhost:3000/api/v1/disputes/${disputeId}/files/${fileId}`, { headers: { authorization: `Bearer ${secret}` } }), routeParams({ id: disputeId, fileId }));

const audits = (disputeId: string, action: string) => db().auditEvent.count({ where: { targetId: disputeId, action } });

describe("dispute evidence files", () => {
  let disputeId: string;
  beforeAll(async () => {
    disputeId = await openDispute();
  });

  test("upload: type from the content (a PNG called .txt is a PNG), sha256, same bytes → same file, audited", async () => {
    const first = await upload(disputeId, PNG, { filename: "screenshot.txt", type: "text/plain", field: "customer_communication" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      object: "file", purpose: "dispute_evidence", dispute: disputeId, field: "customer_communication", filename: "screenshot.txt.png", type: "png",
      size: PNG.byteLength, sha256: createHash("sha256").update(PNG).digest("hex"), submitted_at: null,
    });
    expect(first.body.id).toMatch(/^file_[0-9a-z]{26}$/);
    const again = await upload(disputeId, PNG, { filename: "other-name.png" });
    expect(again.body.id).toBe(first.body.id);
    expect(await audits(disputeId, "dispute.evidence_file_uploaded")).toBe(1);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { targetId: disputeId, action: "dispute.evidence_file_uploaded" } });
    expect(audit.data).toMatchObject({ file: first.body.id, type: "png", size: PNG.byteLength });
    expect(JSON.stringify(audit.data)).not.toContain("screenshot"); // no file names in the audit log
  });

  test("list and download: the exact bytes, the sniffed type, as an attachment, audited", async () => {
    const uploaded = await upload(disputeId, PDF, { filename: "receipt.pdf", field: "receipt" });
    const list = await listFilesRoute(new Request(`http://localhost:3000/api/v1/disputes/${disputeId}/files`, { headers: { authorization: `Bearer ${merchant.secret}` } }), routeParams({ id: disputeId }));
    const listed = await list.json();
    expect(listed.object).toBe("list");
    expect(listed.data.map((f: { id: string }) => f.id)).toContain(uploaded.body.id);
    expect(JSON.stringify(listed)).not.toContain("content");
    const before = await audits(disputeId, "dispute.evidence_file_downloaded");
    const response = await download(disputeId, uploaded.body.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="receipt.pdf"/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(PDF);
    expect(await audits(disputeId, "dispute.evidence_file_downloaded")).toBe(before + 1);
  });

  test("wrong type (whatever the name and declared type), empty, missing, too large → Stripe-style errors, nothing stored", async () => {
    const count = () => db().disputeEvidenceFile.count({ where: { disputeId } });
    const before = await count();
    const text = await upload(disputeId, bytes("not really a pdf"), { filename: "receipt.pdf", type: "application/pdf" });
    expect(text.status).toBe(415);
    expect(text.body.error).toMatchObject({ type: "invalid_request_error", code: "unsupported_content_type", param: "file" });
    expect(text.body.error.request_id).toMatch(/^req_/);
    const exe = await upload(disputeId, bytes("MZ\x90\x00\x03\x00\x00\x00"), { filename: "photo.jpg", type: "image/jpeg" });
    expect(exe.body.error.code).toBe("unsupported_content_type");
    const empty = await upload(disputeId, new Uint8Array(0), { filename: "empty.pdf" });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: "parameter_invalid", param: "file" });
    const missing = await upload(disputeId, null, { field: "receipt" });
    expect(missing.body.error).toMatchObject({ code: "parameter_missing", param: "file" });
    const large = new Uint8Array(EVIDENCE_FILES_MAX_BYTES + 1);
    large.set(PDF);
    const tooLarge = await upload(disputeId, large, { filename: "big.pdf" });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: "body_too_large", param: "file" });
    const badField = await upload(disputeId, JPEG, { filename: "a.jpg", field: "passport" });
    expect(badField.body.error).toMatchObject({ code: "parameter_invalid", param: "field" });
    const unknown = await upload(disputeId, JPEG, { filename: "a.jpg", text: { note: "hi" } });
    expect(unknown.body.error).toMatchObject({ code: "parameter_unknown", param: "note" });
    const json = await uploadRoute(
      new Request(`http://localhost:3000/api/v1/disputes/${disputeId}/files`, { method: "POST", headers: { authorization: `Bearer ${merchant.secret}`, "content-type": "application/json" }, body: "{}" }),
      routeParams({ id: disputeId }),
    );
    expect(json.status).toBe(415);
    expect(await count()).toBe(before);
  });

  test("the combined limit per dispute holds", async () => {
    const other = await openDispute();
    const part = new Uint8Array(Math.floor(EVIDENCE_FILES_MAX_BYTES * 0.6));
    part.set(PDF);
    expect((await upload(other, part, { filename: "a.pdf" })).status).toBe(201);
    part[part.length - 1] = 1; // different bytes, so not the same file
    const second = await upload(other, part, { filename: "b.pdf" });
    expect(second.status).toBe(413);
    expect(second.body.error.message).toMatch(/combined/);
  });

  test("a restricted key with disputes read can list and download, not upload", async () => {
    const readOnly = await makeRestrictedKey(merchant.merchantId, { disputes: "read" });
    const file = await db().disputeEvidenceFile.findFirstOrThrow({ where: { disputeId } });
    const refused = await upload(disputeId, JPEG, { filename: "a.jpg", secret: readOnly });
    expect(refused.status).toBe(403);
    expect(refused.body.error.type).toBe("permission_error");
    expect((await download(disputeId, file.id, readOnly)).status).toBe(200);
  });

  test("another merchant sees no dispute and no file", async () => {
    const other = await makeMerchant("EvidenceOther");
    const file = await db().disputeEvidenceFile.findFirstOrThrow({ where: { disputeId } });
    expect((await upload(disputeId, JPEG, { secret: other.secret })).status).toBe(404);
    expect((await download(disputeId, file.id, other.secret)).status).toBe(404);
    const foreignEvidence = await call(evidenceRoute, `/api/v1/disputes/${disputeId}/evidence`, {
      secret: other.secret, params: { id: disputeId }, body: { evidence: { receipt: file.id }, submit: false },
    });
    expect(foreignEvidence.status).toBe(404);
  });

  test("evidence names files by id (Stripe's file fields); submitting it locks them; no uploads afterwards", async () => {
    const otherDispute = await openDispute();
    const foreignFile = await upload(otherDispute, JPEG, { filename: "x.jpg" });
    const wrong = await call(evidenceRoute, `/api/v1/disputes/${disputeId}/evidence`, {
      secret: merchant.secret, params: { id: disputeId }, body: { evidence: { receipt: foreignFile.body.id }, submit: false },
    });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error).toMatchObject({ code: "resource_missing", param: "evidence[receipt]" });
    const png = await db().disputeEvidenceFile.findFirstOrThrow({ where: { disputeId, contentType: "image/png" } });
    const submitted = await call(evidenceRoute, `/api/v1/disputes/${disputeId}/evidence`, {
      secret: merchant.secret, params: { id: disputeId }, body: { evidence: { uncategorized_text: "Delivered, signed for.", shipping_documentation: png.id } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.status).toBe("under_review");
    expect(submitted.body.evidence_files.map((f: { id: string; field: string }) => [f.id, f.field])).toContainEqual([png.id, "shipping_documentation"]);
    expect(submitted.body.evidence_files.every((f: { submitted_at: string | null }) => f.submitted_at !== null)).toBe(true);
    const got = await call(getDisputeRoute, `/api/v1/disputes/${disputeId}`, { secret: merchant.secret, params: { id: disputeId } });
    expect(got.body.evidence_files.length).toBeGreaterThanOrEqual(2);
    const late = await upload(disputeId, bytes("%PDF-1.4\nlate evidence"), { filename: "late.pdf" });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("invalid_state_transition");
  });
});
