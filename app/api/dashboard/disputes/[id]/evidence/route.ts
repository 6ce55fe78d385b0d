import { withApi } from "@/lib/api/with-api";
import { submitDisputeEvidence } from "@/lib/disputes/manage-disputes";
import { ZSubmitEvidenceRequest } from "@/lib/disputes/dispute.types";

// POST /api/dashboard/disputes/:id/evidence — save or submit text evidence (admins: it decides money, like a refund)
export const POST = withApi({ auth: "session", capability: "refund", body: ZSubmitEvidenceRequest }, async ({ merchantId, actor, params, body }) =>
  submitDisputeEvidence({ merchantId, disputeId: params.id!, actor, ...body }),
);
