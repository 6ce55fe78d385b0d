export default function CheckoutNotFound() {
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-16 text-center">
      <h1 className="text-xl font-semibold text-slate-900">Checkout not found</h1>
      <p className="mt-2 text-sm text-slate-600">This payment link is not valid. Ask the merchant for a new one.</p>
    </main>
  );
}
