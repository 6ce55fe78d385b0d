import type { Metadata } from "next";
import { headers } from "next/headers";
import { PageHeader } from "@/components/page-header";
import { ReceiptEmailOutbox } from "@/components/receipt-email-outbox";
import { WebhookDevelopersTabs } from "@/components/webhook-developers-tabs";
import { getDashboardUser } from "@/lib/auth/session";
import { userActorFromHeaders } from "@/lib/compliance/request-actor";
import { getEnv } from "@/lib/env";
import { listEmails } from "@/lib/receipts/list-emails";

export const metadata: Metadata = { title: "Emails" };
export const dynamic = "force-dynamic";

export default async function EmailsPage() {
  const user = (await getDashboardUser())!;
  const emails = await listEmails({ merchantId: user.merchantId, actor: userActorFromHeaders(user.id, await headers()), query: { limit: 100 }, via: "dashboard" });
  return (
    <>
      <WebhookDevelopersTabs />
      <PageHeader title="Emails" description="Receipts and other email Settle sends to your customers." />
      <ReceiptEmailOutbox emails={emails.data} smtpConfigured={Boolean(getEnv().SMTP_URL)} />
    </>
  );
}
