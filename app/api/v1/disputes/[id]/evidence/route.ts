// POST /api/v1/disputes/:id/evidence — save or submit evidence to the PSP
import { withApi } from "@/lib/api/with-api";
import { ZSubmitEvidenceRequest } from "@/lib/disputes/dispute.types";
import { submitDisputeEvidence } from "@/lib/disputes/manage-disputes";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "disputes", access: "write" }, body: ZSubmitEvidenceRequest, idempotency: "external" },
  async ({ body, merchantId, params, actor }) => submitDisputeEvidence({ merchantId, disputeId: params.id!, actor, ...body }),
);
