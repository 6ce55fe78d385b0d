// POST /api/dashboard/reconciliation/runs — an admin reconciles a period now from the dashboard.
import { withApi } from "@/lib/api/with-api";
import { ZCreateRunRequest } from "@/lib/reconciliation/reconciliation.types";
import { startReconciliationRun } from "@/lib/reconciliation/start-run";

export const POST = withApi({ auth: "session", capability: "resolveDiscrepancy", body: ZCreateRunRequest, successStatus: 201 }, async ({ merchantId, actor, body }) =>
  startReconciliationRun({ merchantId, actor, request: body }),
);
