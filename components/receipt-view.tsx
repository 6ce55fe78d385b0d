// The customer's receipt: merchant, number, date, line items, totals, payment method. Printable: the
// print stylesheet drops the background, border and buttons, and fits one A4/Letter page.
import type { Receipt } from "@/lib/receipts/receipt.types";
import { ReceiptPrintButton } from "./receipt-print-button";

const STATUS_LABEL: Record<Receipt["status"], string> = { paid: "Paid", partially_refunded: "Partially refunded", refunded: "Refunded" };

function methodLabel(method: NonNullable<Receipt["paymentMethod"]>): string {
  const name = method.brand ? method.brand.charAt(0).toUpperCase() + method.brand.slice(1) : method.type.replace(/_/g, " ");
  const wallet = method.wallet ? ` (${method.wallet.replace(/_/g, " ")})` : "";
  return method.last4 ? `${name} ending in ${method.last4}${wallet}` : `${name}${wallet}`;
}

export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const paidOn = new Date(receipt.paidAt).toLocaleDateString("en-US", { dateStyle: "long", timeZone: "UTC" });
  return (
    <main className="mx-auto max-w-xl px-4 py-10 print:max-w-none print:p-0">
      <style>{"@page { margin: 16mm; } @media print { body { background: #fff !important; } }"}</style>
      <article aria-labelledby="receipt-heading" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm print:border-0 print:p-0 print:shadow-none">
        <header className="flex flex-wrap items-start justify-between gap-4 border-b border-slate-200 pb-4">
          <div>
            <p className="text-sm text-slate-600">Receipt from</p>
            <h1 id="receipt-heading" className="text-xl font-semibold tracking-tight">{receipt.merchant.name}</h1>
          </div>
          <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800" data-testid="receipt-status">{STATUS_LABEL[receipt.status]}</span>
        </header>
        <dl className="mt-4 grid grid-cols-2 gap-3 text-sm">
          <div>
            <dt className="text-slate-600">Receipt number</dt>
            <dd className="font-mono" data-testid="receipt-number">{receipt.receiptNumber}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Date paid</dt>
            <dd><time dateTime={receipt.paidAt}>{paidOn}</time></dd>
          </div>
          {receipt.paymentMethod && (
            <div>
              <dt className="text-slate-600">Payment method</dt>
              <dd data-testid="receipt-method">{methodLabel(receipt.paymentMethod)}</dd>
            </div>
          )}
          {receipt.statementDescriptor && (
            <div>
              <dt className="text-slate-600">On your statement</dt>
              <dd className="font-mono">{receipt.statementDescriptor}</dd>
            </div>
          )}
        </dl>

        <table className="mt-6 w-full text-left text-sm">
          <caption className="sr-only">Items</caption>
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="py-2">Description</th>
              <th scope="col" className="py-2 text-right">Qty</th>
              <th scope="col" className="py-2 text-right">Amount</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {receipt.lineItems.map((item, index) => (
              <tr key={index}>
                <td className="py-2">
                  {item.description}
                  {item.quantity > 1 && <span className="block text-xs text-slate-600">{item.unitAmount} each</span>}
                </td>
                <td className="py-2 text-right">{item.quantity}</td>
                <td className="py-2 text-right tabular-nums">{item.amount}</td>
              </tr>
            ))}
          </tbody>
          <tfoot className="border-t border-slate-200">
            <tr>
              <th scope="row" colSpan={2} className="py-2 text-right font-semibold">Amount paid</th>
              <td className="py-2 text-right font-semibold tabular-nums" data-testid="receipt-amount">{receipt.amountPaid}</td>
            </tr>
            {receipt.amountRefunded && (
              <>
                <tr>
                  <th scope="row" colSpan={2} className="py-1 text-right font-normal text-slate-700">Refunded</th>
                  <td className="py-1 text-right tabular-nums">−{receipt.amountRefunded}</td>
                </tr>
                <tr>
                  <th scope="row" colSpan={2} className="py-1 text-right font-semibold">Net</th>
                  <td className="py-1 text-right font-semibold tabular-nums">{receipt.amountNet}</td>
                </tr>
              </>
            )}
          </tfoot>
        </table>

        <footer className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 pt-4 text-xs text-slate-600">
          <p>Questions about this payment? Contact {receipt.merchant.name}. Processed by Settle.</p>
          <ReceiptPrintButton />
        </footer>
      </article>
    </main>
  );
}
