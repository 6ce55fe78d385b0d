// The audit log: a GET filter form (works without JavaScript) and the entries, newest first.
import Link from "next/link";
import { DataTable } from "./data-table";
import type { AuditEventView } from "@/lib/compliance/list-audit-events";
import { TimeStamp } from "./time-stamp";

export type AuditFilterValues = { actor?: string; action?: string; target?: string; from?: string; to?: string };

const FIELDS = [
  { name: "actor", label: "Actor", placeholder: "email or id", type: "text" },
  { name: "action", label: "Action", placeholder: "customer. or user.signed_in", type: "text" },
  { name: "target", label: "Target id", placeholder: "cus_…", type: "text" },
  { name: "from", label: "From (UTC)", placeholder: "", type: "datetime-local" },
  { name: "to", label: "To (UTC)", placeholder: "", type: "datetime-local" },
] as const;

export function AuditLogFilters({ values }: { values: AuditFilterValues }) {
  return (
    <form method="get" className="mb-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4" aria-label="Filter the audit log">
      {FIELDS.map((field) => (
        <div key={field.name}>
          <label htmlFor={`filter-${field.name}`} className="block text-sm font-medium text-slate-700">{field.label}</label>
          <input id={`filter-${field.name}`} name={field.name} type={field.type} defaultValue={values[field.name] ?? ""} placeholder={field.placeholder}
            className="mt-1 w-48 rounded-md border border-slate-300 px-3 py-2 text-sm" />
        </div>
      ))}
      <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">Filter</button>
      <Link href="/audit-log" className="px-2 py-2 text-sm text-slate-700 underline">Clear</Link>
    </form>
  );
}

export function AuditLogTable({ events, nextHref }: { events: AuditEventView[]; nextHref: string | null }) {
  if (events.length === 0) return <p className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm">No audit entries match these filters.</p>;
  return (
    <>
      <DataTable
        label="Audit log entries (scrollable)"
        caption="Audit log entries, newest first"
        columns={[{ label: "Seq" }, { label: "Time" }, { label: "Actor" }, { label: "Action" }, { label: "Target" }, { label: "IP" }, { label: "Sealed" }]}
      >
          <tbody className="divide-y divide-slate-100">
            {events.map((event) => (
              <tr key={event.seq} data-testid="audit-row">
                <td className="px-4 py-2 font-mono text-xs">{event.seq}</td>
                <td className="whitespace-nowrap px-4 py-2"><TimeStamp iso={event.createdAt} /></td>
                <td className="px-4 py-2"><span className="text-slate-500">{event.actorType}</span> {event.actorLabel}</td>
                <td className="px-4 py-2 font-mono text-xs">{event.action}</td>
                <td className="px-4 py-2 font-mono text-xs">{event.targetId ? `${event.targetType ?? ""} ${event.targetId}` : "—"}</td>
                <td className="px-4 py-2 font-mono text-xs">{event.ip ?? "—"}</td>
                <td className="px-4 py-2">{event.sealed ? "Yes" : "Pending"}</td>
              </tr>
            ))}
          </tbody>
      </DataTable>
      {nextHref && (
        <p className="mt-4">
          <Link href={nextHref} className="text-sm font-medium text-brand-700 underline">Older entries</Link>
        </p>
      )}
    </>
  );
}
