// The frame every dashboard list table shares: a labelled scroll region that the keyboard can reach
// (axe: scrollable-region-focusable), a caption for screen readers and column headers scoped to their
// columns. The rows stay with each table (one <tbody>, or one per item as the reconciliation table does).
import type { ReactNode } from "react";

export type DataTableColumn = { label: ReactNode; align?: "left" | "right" };

export function DataTable({ label, caption, columns, testId, children }: {
  /** The scroll region's accessible name. */
  label: string;
  caption: string;
  columns: DataTableColumn[];
  testId?: string;
  /** <tbody> element(s). */
  children: ReactNode;
}) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full text-left text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={column.align === "right" ? "px-4 py-2 text-right" : "px-4 py-2"}>{column.label}</th>
            ))}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}
