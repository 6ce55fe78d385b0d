// GET /api/v1/reconciliation/runs/:id — a run, its totals and a page of its discrepancies (?class=, ?status=).
import { withApi } from "@/lib/api/with-api";
import { getRunWithDiscrepancies } from "@/lib/reconciliation/list-runs";
import { ZListDiscrepanciesQuery } from "@/lib/reconciliation/reconciliation.types";

export const GET = withApi({ auth: "secret-key", scope: { resource: "reports", access: "read" }, query: ZListDiscrepanciesQuery }, async ({ merchantId, params, query }) =>
  getRunWithDiscrepancies(merchantId, params.id!, query),
);
