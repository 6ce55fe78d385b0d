"use client";
// The error boundary of every dashboard page: the data could not be loaded; details are in the server
// log under the digest shown here. Nothing was changed, and the user can try again.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-5">
      <h1 className="text-base font-semibold text-red-900">This page could not be loaded</h1>
      <p className="mt-1 text-sm text-red-800">Something went wrong on our side{error.digest ? ` (reference ${error.digest})` : ""}. Nothing was changed.</p>
      <button type="button" onClick={reset} className="mt-3 rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white hover:bg-red-800">Try again</button>
    </div>
  );
}
