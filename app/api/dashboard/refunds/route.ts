import { withApi } from "@/lib/api/with-api";
import { requestDashboardRefund, ZDashboardRefundRequest } from "@/lib/dashboard/refund-screen";

// POST /api/dashboard/refunds — an admin refunds all or part of a payment (above the threshold it waits for a second admin)
export const POST = withApi({ auth: "session", body: ZDashboardRefundRequest }, async ({ user, actor, body }) =>
  requestDashboardRefund({ user: user!, actor, request: body }),
);
