export default function CheckoutLoading() {
  return (
    <main id="main" aria-busy="true" className="mx-auto grid max-w-4xl gap-6 px-4 py-10 md:grid-cols-2">
      <p className="sr-only" role="status">Loading checkout…</p>
      <div className="space-y-3"><div className="h-6 w-40 animate-pulse rounded bg-slate-200" /><div className="h-10 w-32 animate-pulse rounded bg-slate-200" /></div>
      <div className="h-72 animate-pulse rounded-xl bg-slate-200" />
    </main>
  );
}
