// POST /api/v1/reconciliation/runs — reconcile a period (default: yesterday) now; GET — list runs.
import { withApi } from "@/lib/api/with-api";
import { listRuns } from "@/lib/reconciliation/list-runs";
import { ZCreateRunRequest, ZListRunsQuery } from "@/lib/reconciliation/reconciliation.types";
import { startReconciliationRun } from "@/lib/reconciliation/start-run";

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "reports", access: "write" }, body: ZCreateRunRequest, idempotency: "external", successStatus: 201 },
  async ({ merchantId, actor, body }) => startReconciliationRun({ merchantId, actor, request: body }),
);

export const GET = withApi({ auth: "secret-key", scope: { resource: "reports", access: "read" }, query: ZListRunsQuery }, async ({ merchantId, query }) =>
  listRuns(merchantId, query),
);
