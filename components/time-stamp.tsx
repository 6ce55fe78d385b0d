"use client";
// A time in the viewer's zone, with the UTC time on hover.
export function TimeStamp({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-slate-400">—</span>;
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={`${date.toISOString().replace("T", " ").slice(0, 19)} UTC`} suppressHydrationWarning>
      {date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}
    </time>
  );
}
