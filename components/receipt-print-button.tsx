"use client";
// "Download PDF": the browser's print dialog, where "Save as PDF" is a destination everywhere.
export function ReceiptPrintButton() {
  return (
    <button type="button" onClick={() => window.print()}
      className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 print:hidden">
      Download PDF
    </button>
  );
}
