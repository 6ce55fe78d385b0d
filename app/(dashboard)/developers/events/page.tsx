import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { WebhookDevelopersTabs } from "@/components/webhook-developers-tabs";
import { WebhookEventsLog } from "@/components/webhook-events-log";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Events" };
export const dynamic = "force-dynamic";

export default async function EventsPage() {
  const user = (await getDashboardUser())!;
  return (
    <>
      <WebhookDevelopersTabs />
      <PageHeader title="Events" description="Every event Settle recorded for your account, as your webhook endpoints receive it. object_version orders events of one object." />
      <WebhookEventsLog canManage={can(user.role, "manageApiKeys")} />
    </>
  );
}
