// Refunds left pending by an ambiguous PSP answer (or a crash) are resolved from the PSP: found by their
// stored PSP id, or among the payment's refunds by metadata.settle_refund_id; if the PSP has none, the
// create is re-driven with the same idempotency key (a replay if it had happened, the one refund if not).
import type { Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { callPsp } from "@/lib/psp/psp-gateway";
import { applyPspRefund } from "./apply-psp-refund";
import { submitRefund } from "./create-refund";

const SYSTEM_ACTOR: Actor = { type: "system", id: "refunds.recovery" };
const REFUNDS_BATCH_MAX = 200;

export async function recoverRefund(refundId: string): Promise<"applied" | "redriven" | "unreachable"> {
  const refund = await db().refund.findUniqueOrThrow({ where: { id: refundId } });
  const payment = await db().payment.findUniqueOrThrow({ where: { id: refund.paymentId } });
  if (refund.pspRefundId) {
    const id = refund.pspRefundId;
    const outcome = await callPsp("refunds.retrieve", (stripe) => stripe.refunds.retrieve(id));
    if (outcome.kind !== "ok") return "unreachable";
    await applyPspRefund(refund.id, outcome.value, SYSTEM_ACTOR);
    return "applied";
  }
  if (payment.pspPaymentIntentId) {
    const pi = payment.pspPaymentIntentId;
    const outcome = await callPsp("refunds.list", (stripe) => stripe.refunds.list({ payment_intent: pi, limit: 100 }));
    if (outcome.kind !== "ok") return "unreachable";
    const found = outcome.value.data.find((candidate) => candidate.metadata?.settle_refund_id === refund.id);
    if (found) {
      await applyPspRefund(refund.id, found, SYSTEM_ACTOR);
      return "applied";
    }
  }
  await submitRefund(refund, SYSTEM_ACTOR);
  return "redriven";
}

export async function recoverStuckRefunds(options: { olderThanMs?: number; limit?: number } = {}): Promise<number> {
  const cutoff = new Date(Date.now() - (options.olderThanMs ?? 2 * 60_000));
  const stuck = await db().refund.findMany({
    where: { status: "pending", updatedAt: { lt: cutoff } },
    orderBy: { updatedAt: "asc" },
    take: Math.min(options.limit ?? REFUNDS_BATCH_MAX, REFUNDS_BATCH_MAX),
    select: { id: true },
  });
  let resolved = 0;
  for (const { id } of stuck) {
    try {
      if ((await recoverRefund(id)) !== "unreachable") resolved++;
    } catch (error) {
      logger.error({ err: error, refundId: id }, "refund recovery failed");
    }
  }
  return resolved;
}
