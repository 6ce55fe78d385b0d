// An unknown or malformed receipt token: say so without revealing whether anything exists.
export default function ReceiptNotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Receipt not found</h1>
      <p className="mt-2 text-sm text-slate-600">Check the link in your email. Receipt links are long; make sure it was copied completely.</p>
    </main>
  );
}
