import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { WebhookDevelopersTabs } from "@/components/webhook-developers-tabs";
import { WebhookEndpointDetail } from "@/components/webhook-endpoint-detail";
import { AppError } from "@/lib/api/errors";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { getWebhookEndpoint } from "@/lib/notifications/manage-webhook-endpoints";

export const metadata: Metadata = { title: "Webhook endpoint" };
export const dynamic = "force-dynamic";

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = (await getDashboardUser())!;
  const endpoint = await getWebhookEndpoint(user.merchantId, id).catch((error) => {
    if (error instanceof AppError && error.code === "resource_missing") notFound();
    throw error;
  });
  return (
    <>
      <WebhookDevelopersTabs />
      <p className="mb-2 text-sm"><Link href="/developers/webhooks" className="text-brand-700 hover:underline">← All endpoints</Link></p>
      <PageHeader title="Webhook endpoint" description={`Endpoint ${endpoint.id}`} />
      <WebhookEndpointDetail initialEndpoint={endpoint} canManage={can(user.role, "manageApiKeys")} />
    </>
  );
}
