import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { TeamManager } from "@/components/team-manager";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/tenancy/manage-tenancy";

export const metadata: Metadata = { title: "Team" };
export const dynamic = "force-dynamic";

export default async function TeamPage() {
  const user = (await getDashboardUser())!;
  const users = await listUsers(user.merchantId);
  return (
    <>
      <PageHeader title="Team" description="Who can use this dashboard, and what each role may do: owners manage the team, admins manage keys and refunds, staff operate, viewers read." />
      <TeamManager initialUsers={users} canManage={can(user.role, "manageTeam")} currentUserId={user.id} />
    </>
  );
}
