import type { Metadata } from "next";
import { ApiKeysManager } from "@/components/api-keys-manager";
import { PageHeader } from "@/components/page-header";
import { WebhookDevelopersTabs } from "@/components/webhook-developers-tabs";
import { listApiKeys } from "@/lib/auth/api-keys";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "API keys" };
export const dynamic = "force-dynamic";

export default async function ApiKeysPage() {
  const user = (await getDashboardUser())!;
  const keys = await listApiKeys(user.merchantId);
  return (
    <>
      <WebhookDevelopersTabs />
      <PageHeader title="API keys" description="Secret keys authenticate your server's calls to the Settle API. Keep them out of browsers and source control." />
      <ApiKeysManager initialKeys={keys} canManage={can(user.role, "manageApiKeys")} />
    </>
  );
}
