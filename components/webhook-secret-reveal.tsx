"use client";
// A signing secret shown once, right after create or roll.
export function WebhookSecretReveal({ secret, onDismiss, note }: { secret: string; onDismiss: () => void; note?: string }) {
  return (
    <div role="status" className="rounded-xl border border-emerald-300 bg-emerald-50 p-4">
      <p className="text-sm font-semibold text-emerald-900">Copy the signing secret now. It will not be shown again.</p>
      {note && <p className="mt-1 text-sm text-emerald-900">{note}</p>}
      <code data-testid="new-webhook-secret" className="mt-2 block break-all rounded bg-white px-3 py-2 font-mono text-sm">{secret}</code>
      <button type="button" onClick={onDismiss} className="mt-2 text-sm font-medium text-emerald-800 underline">I have stored it safely</button>
    </div>
  );
}
