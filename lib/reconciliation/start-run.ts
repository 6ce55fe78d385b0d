// On-demand run from the API or dashboard: create the period's next version and reconcile it now.
// (The daily job does the same for yesterday.) Returns the run as it finished.
import type Stripe from "stripe";
import type { Actor } from "@/lib/compliance/record-audit-event";
import { createReconciliationRun, executeReconciliationRun } from "./execute-run";
import { getRunOrThrow } from "./list-runs";
import type { TCreateRunRequest, TRunDto } from "./reconciliation.types";

export async function startReconciliationRun(input: { merchantId: string; actor: Actor; request: TCreateRunRequest; stripe?: Stripe }): Promise<TRunDto> {
  const run = await createReconciliationRun({
    merchantId: input.merchantId,
    periodStart: input.request.period_start,
    periodEnd: input.request.period_end,
    currency: input.request.currency,
    source: "psp_api",
    actor: input.actor,
  });
  await executeReconciliationRun(run.id, { stripe: input.stripe, actor: input.actor }).catch(() => {
    // The run records its error and stays resumable; the response shows its state.
  });
  return getRunOrThrow(input.merchantId, run.id);
}
