// Developers → Emails: outgoing email (receipts) as recorded in the outbox, with a text preview. Without
// SMTP_URL this is where the messages go; with it, a record of what was sent.
import type { EmailMessageDetailDto } from "@/lib/receipts/list-emails";
import { EmptyState } from "./page-header";
import { TimeStamp } from "./time-stamp";
import { WebhookStatusBadge } from "./webhook-status-badge";

export function ReceiptEmailOutbox({ emails, smtpConfigured }: { emails: EmailMessageDetailDto[]; smtpConfigured: boolean }) {
  return (
    <div className="space-y-4">
      <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">
        {smtpConfigured ? "Email is sent through the SMTP server in SMTP_URL; this is the record of it." : "No SMTP server is configured (SMTP_URL), so email stays in this local outbox."}
      </p>
      {emails.length === 0 ? (
        <EmptyState title="No emails yet">Receipts are emailed to customers when their payment is captured.</EmptyState>
      ) : (
        <ul className="space-y-2" data-testid="email-outbox">
          {emails.map((email) => (
            <li key={email.id} className="rounded-xl border border-slate-200 bg-white">
              <details>
                <summary className="flex cursor-pointer flex-wrap items-center gap-3 px-4 py-3 text-sm">
                  <WebhookStatusBadge status={email.status} />
                  <span className="font-medium">{email.subject ?? `(${email.kind}, not rendered yet)`}</span>
                  <span className="text-slate-600">{email.to ?? "—"}</span>
                  <span className="ml-auto text-slate-600"><TimeStamp iso={email.sent ?? email.created} /></span>
                </summary>
                <div className="border-t border-slate-100 px-4 py-3 text-sm">
                  <p className="text-xs text-slate-600">From {email.from ?? "—"} · {email.transport ?? "not sent"} · {email.related_object ?? ""}</p>
                  {email.error && <p className="mt-1 text-sm text-red-700">{email.error}</p>}
                  {email.text && <pre className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-3 text-xs">{email.text}</pre>}
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
