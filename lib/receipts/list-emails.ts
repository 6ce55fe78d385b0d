// The email outbox as the dashboard shows it (Developers → Emails): newest first, one merchant's only.
import { finishPage, idPage, listResponse, type ListResponse, type TListQuery } from "@/lib/api/pagination";
import { db } from "@/lib/db/client";
import { openEmailContent } from "@/lib/notifications/email-content";
import { toEmailMessageDto, type EmailMessageDto } from "./send-receipt-email";

export type EmailMessageDetailDto = EmailMessageDto & { from: string | null; text: string | null; html: string | null };

export async function listEmails(merchantId: string, query: TListQuery): Promise<ListResponse<EmailMessageDetailDto>> {
  const page = idPage(query);
  const rows = await db().emailMessage.findMany({ where: { merchantId, ...page.where }, orderBy: page.orderBy, take: page.take });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  // The merchant's own outbox: opened here to show what was sent; an erased customer's shows nothing.
  const opened = await Promise.all(data.map((row) => openEmailContent(row)));
  return listResponse(
    "/developers/emails",
    data.map((row, index) => {
      const { toAddress, body } = opened[index]!;
      return { ...toEmailMessageDto(row, toAddress), from: row.fromAddress, text: body?.text ?? null, html: body?.html ?? null };
    }),
    hasMore,
  );
}
