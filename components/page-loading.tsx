// The loading state of every dashboard page: a skeleton of header, summary and table while the server renders.
export default function PageLoading() {
  return (
    <div aria-busy="true" className="space-y-4">
      <p role="status" className="sr-only">Loading…</p>
      <div className="h-7 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-24 animate-pulse rounded-xl bg-slate-200" />
      <div className="h-64 animate-pulse rounded-xl bg-slate-200" />
    </div>
  );
}
