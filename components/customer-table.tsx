// The customers list: decrypted for staff and above, masked for viewers (decided on the server).
import Link from "next/link";
import type { TCustomerDto } from "@/lib/customers/customer.types";
import { TimeStamp } from "./time-stamp";

export function CustomerSearch({ email }: { email: string }) {
  return (
    <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4">
      <div>
        <label htmlFor="customer-email" className="block text-sm font-medium text-slate-700">Exact email</label>
        <input id="customer-email" name="email" type="email" defaultValue={email} className="mt-1 w-72 rounded-md border border-slate-300 px-3 py-2 text-sm" />
      </div>
      <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">Search</button>
      {email && <Link href="/customers" className="px-2 py-2 text-sm text-slate-700 underline">Show all</Link>}
    </form>
  );
}

export function CustomerTable({ customers, nextHref }: { customers: TCustomerDto[]; nextHref: string | null }) {
  if (customers.length === 0) return <p className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm">No customers found.</p>;
  return (
    <>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Customers (scrollable)">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Customers, newest first</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">Name</th>
              <th scope="col" className="px-4 py-2">Email</th>
              <th scope="col" className="px-4 py-2">Customer</th>
              <th scope="col" className="px-4 py-2">Created</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {customers.map((customer) => (
              <tr key={customer.id} data-testid="customer-row">
                <td className="px-4 py-2 font-medium">{customer.erased ? <span className="text-slate-500">Erased</span> : (customer.name ?? "—")}</td>
                <td className="px-4 py-2">{customer.email ?? "—"}</td>
                <td className="px-4 py-2 font-mono text-xs"><Link href={`/customers/${customer.id}`} className="text-brand-700 underline">{customer.id}</Link></td>
                <td className="whitespace-nowrap px-4 py-2"><TimeStamp iso={new Date(customer.created * 1000).toISOString()} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nextHref && (
        <p className="mt-4"><Link href={nextHref} className="text-sm font-medium text-brand-700 underline">Next page</Link></p>
      )}
    </>
  );
}
