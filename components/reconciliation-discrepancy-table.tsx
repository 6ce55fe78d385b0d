// A run's discrepancies: one row each (class, object, both amounts, difference, status) with a
// drill-down to both sides' snapshots and every check made, and the resolve form for admins.
import { formatMoney } from "@/lib/money";
import type { TDiscrepancyDto } from "@/lib/reconciliation/reconciliation.types";
import { DataTable } from "./data-table";
import { EmptyState } from "./page-header";
import { ReconciliationResolveForm } from "./reconciliation-resolve-form";
import { TimeStamp } from "./time-stamp";

export function classLabel(klass: string): string {
  return klass.replace(/_/g, " ");
}

function money(amount: number | string | null, currency: string | null): string {
  if (amount === null || !currency) return "—";
  try {
    return formatMoney(BigInt(amount), currency);
  } catch {
    return `${amount} ${currency}`;
  }
}

function Snapshot({ title, value }: { title: string; value: unknown }) {
  return (
    <div className="min-w-0 flex-1">
      <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h4>
      {value === null || value === undefined ? (
        <p className="mt-1 text-sm text-slate-600">Nothing on this side.</p>
      ) : (
        <pre tabIndex={0} aria-label={title} className="mt-1 max-h-72 overflow-auto rounded-md bg-slate-50 p-3 text-xs text-slate-800">{JSON.stringify(value, null, 2)}</pre>
      )}
    </div>
  );
}

function StatusBadge({ status }: { status: "open" | "resolved" }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${status === "open" ? "bg-amber-100 text-amber-900" : "bg-emerald-100 text-emerald-800"}`}>
      {status === "open" ? "Open" : "Resolved"}
    </span>
  );
}

export function ReconciliationDiscrepancyTable({ discrepancies, canResolve }: { discrepancies: TDiscrepancyDto[]; canResolve: boolean }) {
  if (discrepancies.length === 0) return <EmptyState title="No discrepancies match these filters." />;
  return (
    <DataTable
      label="Discrepancies"
      caption="Discrepancies"
      columns={[{ label: "Class" }, { label: "Object" }, { label: "PSP", align: "right" }, { label: "Settle", align: "right" }, { label: "Difference", align: "right" }, { label: "When" }, { label: "Status" }]}
    >
        {discrepancies.map((d) => (
          <tbody key={d.id} className="border-t border-slate-100" data-testid={`discrepancy-${d.id}`}>
            <tr>
              <td className="px-4 py-2 capitalize">{classLabel(d.class)}{d.leg === "settle_ledger" && <span className="ml-1 text-xs normal-case text-slate-600">(ledger)</span>}</td>
              <td className="px-4 py-2">
                <span className="capitalize">{d.object_type.replace(/_/g, " ")}</span>{" "}
                <span className="font-mono text-xs">{d.settle_id ?? d.balance_transaction ?? d.psp_reference ?? ""}</span>
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{money(d.psp_amount, d.psp_currency)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{money(d.settle_amount, d.settle_currency)}</td>
              <td className="px-4 py-2 text-right font-medium tabular-nums">{money(d.difference, d.currency)}</td>
              <td className="px-4 py-2 whitespace-nowrap"><TimeStamp iso={d.occurred_at} /></td>
              <td className="px-4 py-2"><StatusBadge status={d.status} /></td>
            </tr>
            <tr>
              <td colSpan={7} className="px-4 pb-3">
                <details>
                  <summary className="cursor-pointer text-sm text-brand-700 hover:underline">
                    Details<span className="sr-only"> of {d.id}</span>
                  </summary>
                  <p className="mt-2 text-sm text-slate-700">{d.suggestion}</p>
                  <p className="mt-1 text-xs text-slate-600">
                    <span className="font-mono">{d.id}</span>
                    {d.match_method && <> · matched by {d.match_method.replace(/_/g, " ")}</>}
                    {d.psp_reference && <> · PSP reference <span className="font-mono">{d.psp_reference}</span></>}
                  </p>
                  <div className="mt-3 flex flex-col gap-3 lg:flex-row">
                    <Snapshot title="PSP side" value={d.psp_record} />
                    <Snapshot title="Settle side" value={d.settle_record} />
                    {d.checks !== null && d.checks !== undefined && <Snapshot title="Checks" value={d.checks} />}
                  </div>
                  {d.status === "resolved" ? (
                    <p className="mt-3 text-sm text-slate-700" data-testid="resolution">
                      Resolved ({d.resolution}) <TimeStamp iso={d.resolved_at} />: {d.resolution_note}
                      {d.adjustment_transaction && <> · ledger transaction <span className="font-mono">{d.adjustment_transaction}</span></>}
                    </p>
                  ) : canResolve ? (
                    <ReconciliationResolveForm discrepancyId={d.id} suggested={d.suggested_action} />
                  ) : (
                    <p className="mt-3 text-sm text-slate-600">An admin can resolve this discrepancy.</p>
                  )}
                </details>
              </td>
            </tr>
          </tbody>
        ))}
    </DataTable>
  );
}
