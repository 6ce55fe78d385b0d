// The email outbox as the dashboard shows it (Developers → Emails): newest first, one merchant's only.
// Recipients and bodies leave decrypted, so every page that shows any is audited (personal_data.read)
// with the message and customer ids it opened, as the customer list is. Viewers (`masked`) get what the
// customer list gives them: the recipient masked (decrypted server-side to mask it, still audited, with
// masked: true) and no body at all (never decrypted: there is nothing to mask it into).
import { finishPage, idPage, listResponse, type ListResponse, type TListQuery } from "@/lib/api/pagination";
import { type PersonalDataReader, recordPersonalDataRead } from "@/lib/compliance/record-audit-event";
import { maskEmail } from "@/lib/customers/customer-dto";
import { db } from "@/lib/db/client";
import { openEmailContent } from "@/lib/notifications/email-content";
import { toEmailMessageDto, type EmailMessageDto } from "./send-receipt-email";

export type EmailMessageDetailDto = EmailMessageDto & { from: string | null; text: string | null; html: string | null };

/** Viewers (`masked`): recipients masked, bodies neither opened nor shown. */
export async function listEmails(input: PersonalDataReader & { query: TListQuery }): Promise<ListResponse<EmailMessageDetailDto>> {
  const { merchantId, query } = input;
  const masked = input.masked ?? false;
  const page = idPage(query);
  const rows = await db().emailMessage.findMany({ where: { merchantId, ...page.where }, orderBy: page.orderBy, take: page.take });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  // The merchant's own outbox: opened here to show what was sent; an erased customer's shows nothing.
  const opened = await Promise.all(data.map((row) => openEmailContent(masked ? { ...row, bodyEncrypted: null } : row)));
  const shown = data.filter((_row, index) => opened[index]!.toAddress !== null || opened[index]!.body !== null);
  if (shown.length > 0) {
    await recordPersonalDataRead({
      merchantId, actor: input.actor, target: { type: "email_list", id: merchantId }, via: input.via ?? "email_outbox", masked,
      data: { email_ids: shown.map((row) => row.id), customer_ids: [...new Set(shown.flatMap((row) => (row.customerId ? [row.customerId] : [])))] },
    });
  }
  return listResponse(
    "/developers/emails",
    data.map((row, index) => {
      const { toAddress, body } = opened[index]!;
      return { ...toEmailMessageDto(row, toAddress && masked ? maskEmail(toAddress) : toAddress), from: row.fromAddress, text: body?.text ?? null, html: body?.html ?? null };
    }),
    hasMore,
  );
}
