// GET /api/v1/disputes/:id/files/:fileId — the file's bytes as an attachment (audited)
import { withApi } from "@/lib/api/with-api";
import { downloadDisputeEvidenceFile } from "@/lib/disputes/manage-evidence-files";

export const GET = withApi({ auth: "secret-key", scope: { resource: "disputes", access: "read" } }, async ({ merchantId, params, actor }) =>
  downloadDisputeEvidenceFile({ merchantId, disputeId: params.id!, fileId: params.fileId!, actor }),
);
