import { withApi } from "@/lib/api/with-api";
import { approveDashboardRefund } from "@/lib/dashboard/refund-screen";

// POST /api/dashboard/refunds/:id/approve — a second admin approves a refund held for approval; it goes to the PSP
export const POST = withApi({ auth: "session" }, async ({ user, actor, params }) => approveDashboardRefund({ user: user!, actor, refundId: params.id! }));
