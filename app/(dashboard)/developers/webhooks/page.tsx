import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { WebhookDevelopersTabs } from "@/components/webhook-developers-tabs";
import { WebhookEndpointsManager } from "@/components/webhook-endpoints-manager";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { listWebhookEndpoints } from "@/lib/notifications/manage-webhook-endpoints";

export const metadata: Metadata = { title: "Webhooks" };
export const dynamic = "force-dynamic";

export default async function WebhooksPage() {
  const user = (await getDashboardUser())!;
  const endpoints = await listWebhookEndpoints(user.merchantId, { limit: 100 });
  return (
    <>
      <WebhookDevelopersTabs />
      <PageHeader title="Webhooks" description="Settle POSTs signed events (payments, refunds, disputes) to your endpoints, retrying for up to three days until they answer 2xx." />
      <WebhookEndpointsManager initialEndpoints={endpoints.data} canManage={can(user.role, "manageApiKeys")} />
    </>
  );
}
