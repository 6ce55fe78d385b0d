// POST /api/v1/reconciliation/discrepancies/:id/resolve — adjust (suspense posting), resync (from the PSP) or accept, with a note.
import { withApi } from "@/lib/api/with-api";
import { ZResolveDiscrepancyRequest } from "@/lib/reconciliation/reconciliation.types";
import { resolveDiscrepancy } from "@/lib/reconciliation/resolve-discrepancy";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "reports", access: "write" }, body: ZResolveDiscrepancyRequest, idempotency: "external" },
  async ({ merchantId, actor, params, body }) => resolveDiscrepancy({ merchantId, actor, discrepancyId: params.id!, ...body }),
);
