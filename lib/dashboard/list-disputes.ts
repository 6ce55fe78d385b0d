// The disputes page: open ones first (soonest evidence deadline first), then the rest newest first.
import { db } from "@/lib/db/client";

export const DISPUTES_PAGE_SIZE = 50;
export const OPEN_DISPUTE_STATUSES = ["warning_needs_response", "needs_response"];

export type DisputeRowView = {
  id: string;
  paymentId: string;
  amountMinor: string;
  currency: string;
  reason: string;
  status: string;
  evidenceDueBy: string | null;
  evidence: Record<string, string>;
  open: boolean;
  created: string;
  /** Evidence files (open disputes only; no content). */
  files: { id: string; field: string; filename: string; type: string; sizeBytes: number; created: string; submitted: boolean }[];
};

export async function listDisputesView(merchantId: string, options: { after?: string } = {}): Promise<{ open: DisputeRowView[]; closed: DisputeRowView[]; nextCursor: string | null }> {
  const after = options.after && /^dp_[0-9a-z]{26}$/.test(options.after) ? options.after : undefined;
  const [open, closed] = await Promise.all([
    db().dispute.findMany({ where: { merchantId, status: { in: OPEN_DISPUTE_STATUSES } }, orderBy: [{ evidenceDueBy: "asc" }, { id: "asc" }], take: DISPUTES_PAGE_SIZE }),
    db().dispute.findMany({ where: { merchantId, status: { notIn: OPEN_DISPUTE_STATUSES }, ...(after ? { id: { lt: after } } : {}) }, orderBy: { id: "desc" }, take: DISPUTES_PAGE_SIZE + 1 }),
  ]);
  const files = open.length === 0 ? [] : await db().disputeEvidenceFile.findMany({
    where: { merchantId, disputeId: { in: open.map((d) => d.id) } }, orderBy: { id: "asc" },
    select: { id: true, disputeId: true, field: true, filename: true, contentType: true, sizeBytes: true, createdAt: true, submittedAt: true },
  });
  const view = (d: (typeof open)[number]): DisputeRowView => ({
    id: d.id, paymentId: d.paymentId, amountMinor: d.amount.toString(), currency: d.currency, reason: d.reason, status: d.status,
    evidenceDueBy: d.evidenceDueBy?.toISOString() ?? null, evidence: (d.evidence ?? {}) as Record<string, string>, open: OPEN_DISPUTE_STATUSES.includes(d.status), created: d.createdAt.toISOString(),
    files: files.filter((f) => f.disputeId === d.id).map((f) => ({
      id: f.id, field: f.field, filename: f.filename, type: f.contentType.split("/")[1]!.toUpperCase(), sizeBytes: f.sizeBytes,
      created: f.createdAt.toISOString(), submitted: f.submittedAt !== null,
    })),
  });
  const page = closed.slice(0, DISPUTES_PAGE_SIZE);
  return { open: open.map(view), closed: page.map(view), nextCursor: closed.length > DISPUTES_PAGE_SIZE ? (page[page.length - 1]?.id ?? null) : null };
}
