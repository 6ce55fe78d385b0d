// GET /api/dashboard/payments?… — one keyset page of the payments table as JSON (same filters as the page)
import { withApi } from "@/lib/api/with-api";
import { listDashboardPayments } from "@/lib/dashboard/list-payments";
import { parsePaymentsFilter } from "@/lib/dashboard/payments-query";

export const GET = withApi({ auth: "session" }, async ({ request, merchantId }) =>
  listDashboardPayments(merchantId, parsePaymentsFilter(new URL(request.url).searchParams)),
);
