// Everything the payment detail page shows, read in parallel: the payment, its state timeline, refunds
// (with who asked and who approved), disputes, the ledger transactions it caused, the PSP events received
// about it, and the risk assessment. Viewing it is audited (payment.viewed).
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db, sqlPool } from "@/lib/db/client";
import { getPaymentRowOrThrow } from "@/lib/payments/get-payment";
import type { TPaymentMethodDetails } from "@/lib/payments/payment.types";

const LEDGER_SUFFIXES = {
  payment: ["capture", "settle"],
  refund: ["hold", "release", "settle", "failure_settle"],
  dispute: ["withdrawal", "withdrawal:settle", "reinstated", "reinstated:settle"],
} as const;
const PSP_EVENTS_MAX = 100;
const TIMELINE_MAX = 200;

export type LedgerLine = { transactionId: string; externalRef: string | null; description: string; created: string; entries: { accountId: string; accountName: string; code: string | null; direction: string; amountMinor: string; currency: string }[] };

export type PaymentDetail = {
  id: string;
  status: string;
  amountMinor: string;
  amountCapturedMinor: string;
  amountRefundedMinor: string;
  refundableMinor: string;
  feeMinor: string | null;
  currency: string;
  captureMethod: string;
  methodType: string;
  method: TPaymentMethodDetails | null;
  customerId: string | null;
  description: string | null;
  failure: { code: string | null; message: string | null; declineCode: string | null } | null;
  pspPaymentIntentId: string | null;
  pspChargeId: string | null;
  receiptNumber: string;
  receiptPath: string;
  risk: { score: number | null; outcome: string | null; reasons: unknown } | null;
  metadata: Record<string, string>;
  created: string;
  timeline: { id: string; from: string | null; to: string; reason: string | null; actorType: string; actorId: string | null; at: string }[];
  refunds: { id: string; amountMinor: string; status: string; reason: string | null; requestedBy: string | null; approvedBy: string | null; failureReason: string | null; pspRefundId: string | null; created: string }[];
  disputes: { id: string; amountMinor: string; status: string; reason: string; evidenceDueBy: string | null; created: string }[];
  ledger: LedgerLine[];
  pspEvents: { id: string; type: string; status: string; attempts: number; lastError: string | null; received: string }[];
};

/** Display names for user ids (refund requesters and approvers, timeline actors). */
export async function userNames(merchantId: string, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id && id.startsWith("usr_")))];
  if (wanted.length === 0) return new Map();
  const users = await db().user.findMany({ where: { merchantId, id: { in: wanted } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((user) => [user.id, `${user.name} (${user.email})`]));
}

export async function getPaymentDetail(input: { merchantId: string; paymentId: string; actor: Actor }): Promise<PaymentDetail & { names: Record<string, string> }> {
  const { merchantId, paymentId } = input;
  const payment = await getPaymentRowOrThrow(merchantId, paymentId);
  const [events, refunds, disputes] = await Promise.all([
    db().paymentEvent.findMany({ where: { paymentId, merchantId }, orderBy: { id: "asc" }, take: TIMELINE_MAX }),
    db().refund.findMany({ where: { paymentId, merchantId }, orderBy: { id: "asc" } }),
    db().dispute.findMany({ where: { paymentId, merchantId }, orderBy: { id: "asc" } }),
    recordAuditEvent({ merchantId, actor: input.actor, action: "payment.viewed", target: { type: "payment", id: paymentId } }),
  ]);
  const refs = [
    ...LEDGER_SUFFIXES.payment.map((s) => `payment:${paymentId}:${s}`),
    ...refunds.flatMap((r) => LEDGER_SUFFIXES.refund.map((s) => `refund:${r.id}:${s}`)),
    ...disputes.flatMap((d) => LEDGER_SUFFIXES.dispute.map((s) => `dispute:${d.id}:${s}`)),
  ];
  const pspObjects = [payment.pspPaymentIntentId, payment.pspChargeId, ...refunds.map((r) => r.pspRefundId), ...disputes.map((d) => d.pspDisputeId)].filter((id): id is string => !!id);
  const [ledgerRows, pspEvents, names] = await Promise.all([
    sqlPool().query<{ transaction_id: string; external_ref: string | null; description: string; created_at: Date; account_id: string; account_name: string; code: string | null; direction: string; amount_minor: bigint; currency: string }>(
      `SELECT t.id AS transaction_id, t.external_ref, t.description, t.created_at, e.account_id, a.name AS account_name, a.code, e.direction, e.amount_minor, e.currency
         FROM ledger_transactions t
         JOIN ledger_entries e ON e.transaction_id = t.id
         JOIN ledger_accounts a ON a.id = e.account_id
        WHERE t.merchant_id = $1 AND t.external_ref = ANY($2)
        ORDER BY t.created_at, t.id, e.seq`,
      [merchantId, refs],
    ),
    pspObjects.length === 0
      ? Promise.resolve([])
      : db().pspEvent.findMany({
          where: { objectId: { in: pspObjects } },
          orderBy: { pspCreatedAt: "asc" },
          take: PSP_EVENTS_MAX,
          select: { id: true, type: true, status: true, attempts: true, lastError: true, receivedAt: true },
        }),
    userNames(merchantId, [...refunds.flatMap((r) => [r.requestedBy, r.approvedBy]), ...events.map((e) => e.actorId)]),
  ]);

  const ledger = new Map<string, LedgerLine>();
  for (const row of ledgerRows.rows) {
    const line = ledger.get(row.transaction_id) ?? { transactionId: row.transaction_id, externalRef: row.external_ref, description: row.description, created: row.created_at.toISOString(), entries: [] };
    line.entries.push({ accountId: row.account_id, accountName: row.account_name, code: row.code, direction: row.direction, amountMinor: BigInt(row.amount_minor).toString(), currency: row.currency.trim() });
    ledger.set(row.transaction_id, line);
  }
  const refundable = ["captured", "settled"].includes(payment.status) ? payment.amountCaptured - payment.amountRefundReserved : 0n;
  return {
    id: payment.id,
    status: payment.status,
    amountMinor: payment.amount.toString(),
    amountCapturedMinor: payment.amountCaptured.toString(),
    amountRefundedMinor: payment.amountRefunded.toString(),
    refundableMinor: (refundable > 0n ? refundable : 0n).toString(),
    feeMinor: payment.feeAmount?.toString() ?? null,
    currency: payment.currency,
    captureMethod: payment.captureMethod,
    methodType: payment.paymentMethodType,
    method: (payment.paymentMethodDetails as TPaymentMethodDetails | null) ?? null,
    customerId: payment.customerId,
    description: payment.description,
    failure: payment.failureCode || payment.failureMessage ? { code: payment.failureCode, message: payment.failureMessage, declineCode: payment.declineCode } : null,
    pspPaymentIntentId: payment.pspPaymentIntentId,
    pspChargeId: payment.pspChargeId,
    receiptNumber: payment.receiptNumber,
    receiptPath: `/receipts/${payment.receiptToken}`,
    risk: payment.riskOutcome || payment.riskScore !== null ? { score: payment.riskScore, outcome: payment.riskOutcome, reasons: payment.riskReasons } : null,
    metadata: (payment.metadata ?? {}) as Record<string, string>,
    created: payment.createdAt.toISOString(),
    timeline: events.map((e) => ({ id: e.id.toString(), from: e.fromStatus, to: e.toStatus, reason: e.reason, actorType: e.actorType, actorId: e.actorId, at: e.createdAt.toISOString() })),
    refunds: refunds.map((r) => ({
      id: r.id, amountMinor: r.amount.toString(), status: r.status, reason: r.reason, requestedBy: r.requestedBy, approvedBy: r.approvedBy,
      failureReason: r.failureReason, pspRefundId: r.pspRefundId, created: r.createdAt.toISOString(),
    })),
    disputes: disputes.map((d) => ({ id: d.id, amountMinor: d.amount.toString(), status: d.status, reason: d.reason, evidenceDueBy: d.evidenceDueBy?.toISOString() ?? null, created: d.createdAt.toISOString() })),
    ledger: [...ledger.values()],
    pspEvents: pspEvents.map((e) => ({ id: e.id, type: e.type, status: e.status, attempts: e.attempts, lastError: e.lastError, received: e.receivedAt.toISOString() })),
    names: Object.fromEntries(names),
  };
}
