// GET /api/dashboard/payments/export?… — the filtered payments as CSV, streamed in batches of 1,000 rows.
// Not through withApi: the answer is a byte stream, not JSON. Same session check and error shape.
import { errorBody, AppError } from "@/lib/api/errors";
import { newRequestId, toJson } from "@/lib/api/with-api";
import { getDashboardUser } from "@/lib/auth/session";
import { exportPaymentsCsv } from "@/lib/dashboard/list-payments";
import { parsePaymentsFilter } from "@/lib/dashboard/payments-query";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const requestId = newRequestId();
  const user = await getDashboardUser();
  if (!user) {
    const error = new AppError("authentication_required", "Sign in to continue.");
    return new Response(toJson(errorBody(error, requestId)), { status: error.status, headers: { "content-type": "application/json", "request-id": requestId } });
  }
  const filter = parsePaymentsFilter(new URL(request.url).searchParams);
  const stream = exportPaymentsCsv({ merchantId: user.merchantId, filter, actor: { type: "user", id: user.id, ip: request.headers.get("x-forwarded-for"), userAgent: request.headers.get("user-agent"), requestId } });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="payments-${stamp}.csv"`,
      "cache-control": "no-store",
      "request-id": requestId,
    },
  });
}
