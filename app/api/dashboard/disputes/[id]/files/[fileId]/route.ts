// GET /api/dashboard/disputes/:id/files/:fileId — download an evidence file from the disputes page (audited)
import { withApi } from "@/lib/api/with-api";
import { downloadDisputeEvidenceFile } from "@/lib/disputes/manage-evidence-files";

export const GET = withApi({ auth: "session" }, async ({ merchantId, params, actor }) =>
  downloadDisputeEvidenceFile({ merchantId, disputeId: params.id!, fileId: params.fileId!, actor }),
);
