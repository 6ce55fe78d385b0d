// An operator resolves a discrepancy: "adjust" posts the difference through the suspense account (an
// idempotent ledger transaction), "resync" re-reads the object from the PSP and applies what Settle
// missed, "accept" records that nothing needs doing (timing, a duplicated report line). The change,
// the ledger posting and the audit row commit together; the run's unexplained count follows.
import type Stripe from "stripe";
import { AppError } from "@/lib/api/errors";
import { type Actor, recordAuditEvent } from "@/lib/compliance/record-audit-event";
import { db, type Tx } from "@/lib/db/client";
import { ensureMerchantAccounts, postTransaction } from "@/lib/ledger";
import { defaultStripeClient } from "./fetch-psp-records";
import { DISCREPANCY_SELECT, toDiscrepancyDto } from "./list-runs";
import type { TDiscrepancyDto, TResolveDiscrepancyRequest } from "./reconciliation.types";
import { resyncPaymentFromPsp } from "./resync-payment";

export type ResolveInput = TResolveDiscrepancyRequest & { merchantId: string; discrepancyId: string; actor: Actor; stripe?: Stripe };

/** The suspense posting that explains `difference` (PSP − Settle): Dr psp_receivable / Cr suspense when the PSP holds more. */
async function postAdjustment(tx: Tx, input: { merchantId: string; discrepancyId: string; currency: string; difference: bigint; note: string }) {
  if (input.difference === 0n) {
    throw new AppError("invalid_state_transition", "This discrepancy moves no money; accept it or re-sync instead of adjusting.", { param: "action" });
  }
  const chart = await ensureMerchantAccounts(tx, input.merchantId, input.currency);
  const amount = input.difference < 0n ? -input.difference : input.difference;
  const [debit, credit] = input.difference > 0n ? [chart.psp_receivable, chart.suspense] : [chart.suspense, chart.psp_receivable];
  return postTransaction(tx, {
    merchantId: input.merchantId,
    description: `Reconciliation adjustment for ${input.discrepancyId}`,
    externalRef: `reconciliation:${input.discrepancyId}:adjust`,
    metadata: { discrepancy: input.discrepancyId, note: input.note.slice(0, 200) },
    entries: [
      { accountId: debit, direction: "debit", amountMinor: amount, currency: input.currency },
      { accountId: credit, direction: "credit", amountMinor: amount, currency: input.currency },
    ],
  });
}

export async function resolveDiscrepancy(input: ResolveInput): Promise<TDiscrepancyDto> {
  const found = await db().reconciliationDiscrepancy.findFirst({
    where: { id: input.discrepancyId, merchantId: input.merchantId },
    select: { ...DISCREPANCY_SELECT, merchantId: true },
  });
  if (!found) throw new AppError("resource_missing", `No such discrepancy: '${input.discrepancyId}'`, { param: "id" });
  if (found.status === "resolved") return toDiscrepancyDto(found);

  // The PSP call happens before the transaction (never hold row locks across the network).
  let resync: Awaited<ReturnType<typeof resyncPaymentFromPsp>> | null = null;
  if (input.action === "resync") {
    const paymentId = found.objectType === "payment" ? found.settleId : ((found.settleRecord as { payment?: string } | null)?.payment ?? null);
    if (!paymentId) {
      throw new AppError("invalid_state_transition", "Settle has no payment to re-sync for this discrepancy; adjust or accept it.", { param: "action" });
    }
    resync = await resyncPaymentFromPsp({ merchantId: input.merchantId, paymentId, actor: input.actor, stripe: input.stripe ?? defaultStripeClient() });
  }

  return db().$transaction(async (tx) => {
    let adjustmentTransactionId: string | null = null;
    if (input.action === "adjust") {
      const posted = await postAdjustment(tx, {
        merchantId: input.merchantId,
        discrepancyId: found.id,
        currency: found.currency,
        difference: found.difference,
        note: input.note,
      });
      adjustmentTransactionId = posted.id;
    }
    const updated = await tx.reconciliationDiscrepancy.updateMany({
      where: { id: found.id, merchantId: input.merchantId, status: "open" },
      data: {
        status: "resolved",
        resolution: input.action,
        resolutionNote: input.note,
        adjustmentTransactionId,
        resolvedByType: input.actor.type,
        resolvedById: input.actor.id,
        resolvedAt: new Date(),
      },
    });
    const after = await tx.reconciliationDiscrepancy.findUniqueOrThrow({ where: { id: found.id }, select: DISCREPANCY_SELECT });
    if (updated.count === 0) return toDiscrepancyDto(after); // resolved concurrently: the first resolution stands
    await tx.$executeRaw`UPDATE reconciliation_runs SET unexplained_count = greatest(unexplained_count - 1, 0), updated_at = now() WHERE id = ${found.runId}`;
    await recordAuditEvent(
      {
        merchantId: input.merchantId,
        actor: input.actor,
        action: `reconciliation.discrepancy_${input.action === "adjust" ? "adjusted" : input.action === "resync" ? "resynced" : "accepted"}`,
        target: { type: "reconciliation_discrepancy", id: found.id },
        data: {
          class: found.class,
          note: input.note,
          difference: found.difference.toString(),
          currency: found.currency,
          ...(adjustmentTransactionId ? { ledger_transaction: adjustmentTransactionId } : {}),
          ...(resync ? { resync: resync.changes } : {}),
        },
      },
      tx,
    );
    return toDiscrepancyDto(after);
  });
}
