// GET /api/v1/reconciliation/runs/:id/discrepancies.csv — every discrepancy of a run, streamed as CSV.
import { exportDiscrepanciesCsv } from "@/lib/reconciliation/export-discrepancies-csv";
import { ZExportQuery } from "@/lib/reconciliation/reconciliation.types";
import { withApiStream } from "@/lib/reconciliation/with-api-raw";

export const GET = withApiStream({ auth: "secret-key", scope: { resource: "reports", access: "read" }, query: ZExportQuery }, async ({ merchantId, params, query }) => ({
  stream: await exportDiscrepanciesCsv(merchantId, params.id!, query),
  contentType: "text/csv; charset=utf-8",
  filename: `${params.id}-discrepancies.csv`,
}));
