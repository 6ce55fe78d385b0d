// GDPR access/portability (Art. 15, 20): everything Settle holds about one customer, as JSON — the
// decrypted fields, references held by other domains (registered data sources), and who accessed the
// data (audit events about the customer). The export itself is audited.
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { listPersonalDataSources, registerPersonalDataSource } from "@/lib/compliance/personal-data-sources";
import { db } from "@/lib/db/client";
import { listCustomerPaymentAttempts } from "@/lib/fraud/customer-payment-attempts";
import { listCustomerEmails } from "@/lib/notifications/email-content";
import { toCustomerDto } from "./customer-dto";
import type { TCustomerDto } from "./customer.types";
import { getCustomerOrThrow } from "./get-customer";

const REFERENCES_MAX = 1_000;

export type CustomerDataExport = {
  object: "customer_data_export";
  generated_at: string;
  customer: TCustomerDto;
  sources: Record<string, unknown>;
};

async function tableHasColumn(table: string, column: string): Promise<boolean> {
  const rows = await db().$queryRaw<{ present: boolean }[]>`
    select exists (select 1 from information_schema.columns where table_schema = 'public' and table_name = ${table} and column_name = ${column}) as present`;
  return rows[0]?.present === true;
}

// Payments belong to another domain and may not exist in every deployment: read them only if the table
// has a customer_id column. The payments domain can replace this by registering its own "payments".
registerPersonalDataSource({
  name: "payments",
  async collect({ merchantId, customerId, client }) {
    if (!(await tableHasColumn("payments", "customer_id"))) return [];
    const rows = await client.$queryRaw<{ id: string; created_at: Date }[]>`
      select id, created_at from payments where merchant_id = ${merchantId} and customer_id = ${customerId} order by id limit ${REFERENCES_MAX}`;
    return rows.map((row) => ({ id: row.id, created_at: row.created_at.toISOString() }));
  },
});

// Fraud history: attempts linked by customer id or by the pseudonym of the customer's email.
registerPersonalDataSource({
  name: "payment_attempts",
  async collect({ merchantId, customerId, client }) {
    const customer = await getCustomerOrThrow(merchantId, customerId, { client });
    return listCustomerPaymentAttempts(client, { merchantId, customerId, email: customer.email });
  },
});

// Emails sent (or queued) to the customer: recipient, subject, status and times.
registerPersonalDataSource({
  name: "emails",
  collect: ({ merchantId, customerId, client }) => listCustomerEmails(client, merchantId, customerId),
});

registerPersonalDataSource({
  name: "access_log",
  async collect({ merchantId, customerId, client }) {
    const rows = await client.auditEvent.findMany({
      where: { merchantId, targetType: "customer", targetId: customerId },
      orderBy: { seq: "asc" },
      take: REFERENCES_MAX,
      select: { action: true, actorType: true, createdAt: true },
    });
    return rows.map((row) => ({ action: row.action, actor_type: row.actorType, at: row.createdAt.toISOString() }));
  },
});

export async function exportCustomerData(merchantId: string, customerId: string, options: { actor?: Actor } = {}): Promise<CustomerDataExport> {
  const customer = await getCustomerOrThrow(merchantId, customerId);
  const sources: Record<string, unknown> = {};
  for (const source of listPersonalDataSources()) sources[source.name] = await source.collect({ merchantId, customerId, client: db() });
  await recordAuditEvent({
    merchantId,
    actor: options.actor ?? { type: "system", id: "export" },
    action: "personal_data.exported",
    target: { type: "customer", id: customerId },
    data: { sources: Object.keys(sources) },
  });
  return { object: "customer_data_export", generated_at: new Date().toISOString(), customer: toCustomerDto(customer), sources };
}
