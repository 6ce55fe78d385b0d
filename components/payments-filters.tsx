// The payments table's filter bar: a plain GET form (works without JavaScript; the URL is shareable).
import Link from "next/link";
import type { PaymentsFilter } from "@/lib/dashboard/payments-query";
import { PAYMENT_METHOD_TYPES, PAYMENT_SORTS } from "@/lib/dashboard/payments-query";
import { PAYMENT_STATUSES } from "@/lib/payments/state-machine";

const SORT_LABELS: Record<(typeof PAYMENT_SORTS)[number], string> = { newest: "Newest first", oldest: "Oldest first", amount_desc: "Largest amount", amount_asc: "Smallest amount" };
const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";

export function PaymentsFilters({ filter }: { filter: PaymentsFilter }) {
  return (
    <form method="get" action="/payments" role="search" aria-label="Filter payments" className="mb-4 grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4">
      <div className="sm:col-span-2">
        <label htmlFor="q" className="block text-sm font-medium text-slate-700">Search</label>
        <input id="q" name="q" type="search" defaultValue={filter.q ?? ""} placeholder="pay_…, name@example.com, 4242 or 12.50" className={input} />
      </div>
      <div>
        <label htmlFor="status" className="block text-sm font-medium text-slate-700">Status</label>
        <select id="status" name="status" defaultValue={filter.status ?? ""} className={input}>
          <option value="">Any status</option>
          {PAYMENT_STATUSES.map((status) => <option key={status} value={status}>{status.replace(/_/g, " ")}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="method" className="block text-sm font-medium text-slate-700">Method</label>
        <select id="method" name="method" defaultValue={filter.method ?? ""} className={input}>
          <option value="">Any method</option>
          {PAYMENT_METHOD_TYPES.map((method) => <option key={method} value={method}>{method.replace(/_/g, " ")}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor="currency" className="block text-sm font-medium text-slate-700">Currency</label>
        <input id="currency" name="currency" defaultValue={filter.currency ?? ""} placeholder="USD" maxLength={3} pattern="[A-Za-z]{3}" className={`${input} uppercase`} />
      </div>
      <div>
        <label htmlFor="from" className="block text-sm font-medium text-slate-700">From (UTC)</label>
        <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} className={input} />
      </div>
      <div>
        <label htmlFor="to" className="block text-sm font-medium text-slate-700">To (UTC)</label>
        <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} className={input} />
      </div>
      <div>
        <label htmlFor="sort" className="block text-sm font-medium text-slate-700">Sort</label>
        <select id="sort" name="sort" defaultValue={filter.sort} className={input}>
          {PAYMENT_SORTS.map((sort) => <option key={sort} value={sort}>{SORT_LABELS[sort]}</option>)}
        </select>
      </div>
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-4">
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">Apply filters</button>
        <Link href="/payments" className="text-sm font-medium text-brand-700 underline">Clear</Link>
      </div>
    </form>
  );
}
