import type { Metadata } from "next";
import { headers } from "next/headers";
import { PageHeader } from "@/components/page-header";
import { ReceiptEmailOutbox } from "@/components/receipt-email-outbox";
import { WebhookDevelopersTabs } from "@/components/webhook-developers-tabs";
import { hasRole } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { userActorFromHeaders } from "@/lib/compliance/request-actor";
import { getEnv } from "@/lib/env";
import { listEmails } from "@/lib/receipts/list-emails";

export const metadata: Metadata = { title: "Emails" };
export const dynamic = "force-dynamic";

export default async function EmailsPage() {
  const user = (await getDashboardUser())!;
  const masked = !hasRole(user.role, "staff");
  const emails = await listEmails({ merchantId: user.merchantId, actor: userActorFromHeaders(user.id, await headers()), query: { limit: 100 }, masked, via: "dashboard" });
  return (
    <>
      <WebhookDevelopersTabs />
      <PageHeader title="Emails" description="Receipts and other email Settle sends to your customers." />
      {masked && <p className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">Your role (viewer) sees recipients masked and no message bodies.</p>}
      <ReceiptEmailOutbox emails={emails.data} smtpConfigured={Boolean(getEnv().SMTP_URL)} />
    </>
  );
}
