import { withApi } from "@/lib/api/with-api";
import { rejectDashboardRefund } from "@/lib/dashboard/refund-screen";

// POST /api/dashboard/refunds/:id/reject — the approver declines; the reserved amount is released
export const POST = withApi({ auth: "session" }, async ({ user, actor, params }) => rejectDashboardRefund({ user: user!, actor, refundId: params.id! }));
