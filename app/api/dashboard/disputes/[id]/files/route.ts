// POST /api/dashboard/disputes/:id/files — upload one evidence file from the disputes page (admins, like evidence)
import { withApi } from "@/lib/api/with-api";
import { EVIDENCE_UPLOAD_BODY_LIMIT_BYTES } from "@/lib/disputes/evidence-file.types";
import { uploadDisputeEvidenceFile } from "@/lib/disputes/manage-evidence-files";
import { readEvidenceUpload } from "@/lib/disputes/read-evidence-upload";

export const POST = withApi(
  { auth: "session", capability: "refund", multipart: { limitBytes: EVIDENCE_UPLOAD_BODY_LIMIT_BYTES }, successStatus: 201 },
  async ({ form, merchantId, params, actor }) => uploadDisputeEvidenceFile({ merchantId, disputeId: params.id!, actor, ...(await readEvidenceUpload(form!)) }),
);
