// GET /api/dashboard/reconciliation/runs/:id/discrepancies.csv — the run page's CSV link: the same
// streamed export as the API's (GET /api/v1/reconciliation/runs/:id/discrepancies.csv), for a signed-in user.
import { exportDiscrepanciesCsv } from "@/lib/reconciliation/export-discrepancies-csv";
import { ZExportQuery } from "@/lib/reconciliation/reconciliation.types";
import { withApiStream } from "@/lib/reconciliation/with-api-raw";

export const dynamic = "force-dynamic";

export const GET = withApiStream({ auth: "session", query: ZExportQuery }, async ({ merchantId, params, query }) => ({
  stream: await exportDiscrepanciesCsv(merchantId, params.id!, query),
  contentType: "text/csv; charset=utf-8",
  filename: `${params.id}-discrepancies.csv`,
}));
