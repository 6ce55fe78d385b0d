// POST /api/v1/disputes/:id/files — upload one evidence file (multipart/form-data: file, field?); GET lists them
import { withApi } from "@/lib/api/with-api";
import { EVIDENCE_UPLOAD_BODY_LIMIT_BYTES } from "@/lib/disputes/evidence-file.types";
import { listDisputeEvidenceFiles, uploadDisputeEvidenceFile } from "@/lib/disputes/manage-evidence-files";
import { readEvidenceUpload } from "@/lib/disputes/read-evidence-upload";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "disputes", access: "write" }, multipart: { limitBytes: EVIDENCE_UPLOAD_BODY_LIMIT_BYTES }, successStatus: 201 },
  async ({ form, merchantId, params, actor }) => uploadDisputeEvidenceFile({ merchantId, disputeId: params.id!, actor, ...(await readEvidenceUpload(form!)) }),
);

export const GET = withApi({ auth: "secret-key", scope: { resource: "disputes", access: "read" } }, async ({ merchantId, params }) => ({
  object: "list", data: await listDisputeEvidenceFiles(merchantId, params.id!), has_more: false,
}));
