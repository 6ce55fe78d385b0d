// POST /api/v1/reconciliation/reports — upload a settlement report (Stripe itemized CSV) and reconcile it.
// Body: text/csv (streamed; ?period_start=&period_end=&currency=&filename=) or JSON { csv, period_start?, … }.
import { uploadSettlementReport, ZUploadReportQuery } from "@/lib/reconciliation/upload-report";
import { withApiRawBody } from "@/lib/reconciliation/with-api-raw";

export const POST = withApiRawBody(
  { auth: "secret-key", scope: { resource: "reports", access: "write" }, query: ZUploadReportQuery, successStatus: 201 },
  async ({ merchantId, actor, query, rawBody, contentType }) => uploadSettlementReport({ merchantId, actor, query, body: rawBody, contentType }),
);
