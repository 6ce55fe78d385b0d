// PATCH /api/dashboard/team/:id — an owner changes a user's role (audited).
import { withApi } from "@/lib/api/with-api";
import { changeUserRole, ZChangeRoleRequest } from "@/lib/tenancy/manage-tenancy";

export const PATCH = withApi({ auth: "session", capability: "manageTeam", body: ZChangeRoleRequest }, async ({ merchantId, actor, params, body }) =>
  changeUserRole({ merchantId, userId: params.id!, role: body.role, actor }),
);
