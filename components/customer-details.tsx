// One customer's personal data as a definition list.
import type { TCustomerDto } from "@/lib/customers/customer.types";
import { TimeStamp } from "./time-stamp";

export function CustomerDetails({ customer }: { customer: TCustomerDto }) {
  const address = customer.address ? [customer.address.line1, customer.address.line2, customer.address.city, customer.address.state, customer.address.postal_code, customer.address.country].filter(Boolean).join(", ") : null;
  const rows: [string, React.ReactNode][] = [
    ["Name", customer.name ?? "—"],
    ["Email", customer.email ?? "—"],
    ["Phone", customer.phone ?? "—"],
    ["Address", address || "—"],
    ["IP addresses", customer.ip_addresses.length ? customer.ip_addresses.join(", ") : "—"],
    ["Metadata", Object.keys(customer.metadata).length ? Object.entries(customer.metadata).map(([k, v]) => `${k}: ${v}`).join("; ") : "—"],
    ["Created", <TimeStamp key="created" iso={new Date(customer.created * 1000).toISOString()} />],
    ["Erased", customer.erased_at ? <TimeStamp key="erased" iso={new Date(customer.erased_at * 1000).toISOString()} /> : "No"],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-xl border border-slate-200 bg-white p-5 text-sm sm:grid-cols-[12rem_1fr]" data-testid="customer-details">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-slate-600">{label}</dt>
          <dd className="text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
