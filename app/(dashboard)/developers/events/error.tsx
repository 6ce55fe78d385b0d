"use client";
// Shown when the page's data could not be loaded; the error details are in the server log.
export default function PageError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      This page could not be loaded. <button type="button" onClick={reset} className="font-medium underline">Try again</button>
    </div>
  );
}
