// The order side of the checkout page: who is being paid, for what, and the total in the customer's locale.
import type { CheckoutPageView } from "@/lib/checkout";

export function CheckoutSummary({ view }: { view: CheckoutPageView }) {
  return (
    <section aria-labelledby="order-heading" className="md:pt-2">
      <p className="text-sm font-medium text-slate-600">Pay</p>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900" data-testid="checkout-merchant">{view.merchantName}</h1>
      <p className="mt-2 text-3xl font-semibold text-slate-900" data-testid="checkout-total" lang={view.locale}>{view.total}</p>
      <h2 id="order-heading" className="sr-only">Order summary</h2>
      <table className="mt-6 w-full text-sm">
        <caption className="sr-only">Items in this order</caption>
        <thead className="sr-only">
          <tr><th scope="col">Item</th><th scope="col">Quantity</th><th scope="col">Amount</th></tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {view.lines.map((line, index) => (
            <tr key={index}>
              <td className="py-2 pr-2">
                <span className="font-medium text-slate-900">{line.name}</span>
                {line.quantity > 1 && <span className="block text-xs text-slate-600">{line.quantity} × <span lang={view.locale}>{line.unitAmount}</span></span>}
              </td>
              <td className="py-2 pr-2 text-right text-slate-600"><span className="sr-only">Quantity </span>{line.quantity}</td>
              <td className="py-2 text-right font-medium tabular-nums" lang={view.locale}>{line.total}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t-2 border-slate-300">
            <th scope="row" colSpan={2} className="py-2 text-left font-semibold">Total due</th>
            <td className="py-2 text-right font-semibold tabular-nums" lang={view.locale}>{view.total}</td>
          </tr>
        </tfoot>
      </table>
      {view.cancelUrl && view.status === "open" && (
        <a href={view.cancelUrl} className="mt-6 inline-block text-sm font-medium text-brand-700 underline">Cancel and return to {view.merchantName}</a>
      )}
    </section>
  );
}
