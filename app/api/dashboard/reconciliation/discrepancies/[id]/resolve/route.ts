// POST /api/dashboard/reconciliation/discrepancies/:id/resolve — an admin adjusts, re-syncs or accepts a discrepancy, with a note.
import { withApi } from "@/lib/api/with-api";
import { ZResolveDiscrepancyRequest } from "@/lib/reconciliation/reconciliation.types";
import { resolveDiscrepancy } from "@/lib/reconciliation/resolve-discrepancy";

export const POST = withApi({ auth: "session", capability: "resolveDiscrepancy", body: ZResolveDiscrepancyRequest }, async ({ merchantId, actor, params, body }) =>
  resolveDiscrepancy({ merchantId, actor, discrepancyId: params.id!, ...body }),
);
