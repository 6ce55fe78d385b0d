// A run's totals per currency: what the PSP booked, what Settle expected, what matched, and what is left unexplained.
import { formatMoney } from "@/lib/money";
import type { TCurrencyTotals } from "@/lib/reconciliation/reconciliation.types";

function money(amount: number | string, currency: string): string {
  try {
    return formatMoney(BigInt(amount), currency);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function ReconciliationTotals({ totals }: { totals: TCurrencyTotals[] }) {
  if (totals.length === 0) return <p className="text-sm text-slate-600">No totals yet: the run has not been matched.</p>;
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading" className="mb-3 text-sm font-semibold text-slate-900">Totals</h2>
      <div role="region" aria-label="Totals per currency" tabIndex={0} className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm" data-testid="run-totals">
          <caption className="sr-only">Totals per currency</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">Currency</th>
              <th scope="col" className="px-4 py-2 text-right">PSP net</th>
              <th scope="col" className="px-4 py-2 text-right">Fees</th>
              <th scope="col" className="px-4 py-2 text-right">Payouts</th>
              <th scope="col" className="px-4 py-2 text-right">Settle net</th>
              <th scope="col" className="px-4 py-2 text-right">Matched</th>
              <th scope="col" className="px-4 py-2 text-right">Discrepancies</th>
              <th scope="col" className="px-4 py-2 text-right">Difference</th>
              <th scope="col" className="px-4 py-2 text-right">Unexplained</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {totals.map((t) => (
              <tr key={t.currency}>
                <th scope="row" className="px-4 py-2 font-medium">{t.currency}</th>
                <td className="px-4 py-2 text-right tabular-nums">{money(t.psp_net, t.currency)} <span className="text-xs text-slate-600">({t.psp_count})</span></td>
                <td className="px-4 py-2 text-right tabular-nums">{money(t.psp_fee, t.currency)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{money(t.payouts, t.currency)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{money(t.settle_net, t.currency)} <span className="text-xs text-slate-600">({t.settle_count})</span></td>
                <td className="px-4 py-2 text-right tabular-nums">{money(t.matched_net, t.currency)} <span className="text-xs text-slate-600">({t.matched_count})</span></td>
                <td className="px-4 py-2 text-right tabular-nums">{t.discrepancy_count}</td>
                <td className="px-4 py-2 text-right tabular-nums">{money(t.difference, t.currency)}</td>
                <td className={`px-4 py-2 text-right font-medium tabular-nums ${String(t.psp_unexplained) === "0" ? "text-emerald-800" : "text-red-700"}`}>{money(t.psp_unexplained, t.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
