// The page a signed-in user sees when their role may not open a page (the attempt is audited).
export function AuditForbidden({ what, role, needed }: { what: string; role: string; needed: string }) {
  return (
    <section aria-labelledby="forbidden-heading" className="rounded-xl border border-amber-300 bg-amber-50 p-6">
      <p className="text-sm font-semibold uppercase tracking-wide text-amber-800">403 — Forbidden</p>
      <h1 id="forbidden-heading" className="mt-1 text-xl font-semibold text-slate-900">You can&apos;t view the {what}</h1>
      <p className="mt-2 text-sm text-slate-700">
        Your role (<span className="font-medium">{role}</span>) does not include this; it needs <span className="font-medium">{needed}</span> or above. Ask
        an owner if you need access. This attempt has been recorded in the audit log.
      </p>
    </section>
  );
}
