// Team: list users; an owner invites a user with a role (a one-time password is returned once).
import { withApi } from "@/lib/api/with-api";
import { createUser, listUsers, ZInviteUserRequest } from "@/lib/tenancy/manage-tenancy";

export const GET = withApi({ auth: "session" }, async ({ merchantId }) => ({ object: "list", data: await listUsers(merchantId), has_more: false }));

export const POST = withApi({ auth: "session", capability: "manageTeam", body: ZInviteUserRequest }, async ({ merchantId, actor, body }) =>
  createUser({ ...body, merchantId, actor }),
);
