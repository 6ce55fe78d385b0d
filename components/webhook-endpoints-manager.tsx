"use client";
import { ClientForm } from "./client-form";
// Developers → Webhooks: the merchant's endpoints and a form to add one (its secret is shown once).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { usePendingAction } from "./use-pending-action";
import { useState } from "react";
import type { WebhookEndpointDto, WebhookEndpointWithSecretDto } from "@/lib/notifications/webhook-endpoints.types";
import { apiFetch } from "./api-fetch";
import { EmptyState } from "./page-header";
import { TimeStamp } from "./time-stamp";
import { WebhookSecretReveal } from "./webhook-secret-reveal";
import { WebhookStatusBadge } from "./webhook-status-badge";

export function WebhookEndpointsManager({ initialEndpoints, canManage }: { initialEndpoints: WebhookEndpointDto[]; canManage: boolean }) {
  const router = useRouter();
  const [endpoints, setEndpoints] = useState(initialEndpoints);
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState("*");
  const [description, setDescription] = useState("");
  const [created, setCreated] = useState<WebhookEndpointWithSecretDto | null>(null);
  const { busy, error, run } = usePendingAction();

  async function create(event: React.FormEvent) {
    event.preventDefault();
    await run(async () => {
      const enabledEvents = events.split(/[\s,]+/).map((e) => e.trim()).filter(Boolean);
      const result = await apiFetch<WebhookEndpointWithSecretDto>("/api/dashboard/webhooks", {
        method: "POST",
        body: { url: url.trim(), enabled_events: enabledEvents, ...(description.trim() ? { description: description.trim() } : {}) },
      });
      const { secret: _secret, ...endpoint } = result;
      setEndpoints([endpoint, ...endpoints]);
      setCreated(result);
      setUrl("");
      setDescription("");
      router.refresh();
    });
  }

  return (
    <div className="space-y-6">
      {canManage ? (
        <ClientForm onSubmit={create} className="rounded-xl border border-slate-200 bg-white p-5" aria-labelledby="add-endpoint-heading">
          <h2 id="add-endpoint-heading" className="text-sm font-semibold">Add an endpoint</h2>
          <div className="mt-3 grid gap-3 md:grid-cols-2">
            <div className="md:col-span-2">
              <label htmlFor="endpoint-url" className="block text-sm font-medium text-slate-700">Endpoint URL</label>
              <input id="endpoint-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} required maxLength={2048}
                placeholder="https://shop.example.com/settle/webhooks" className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
            </div>
            <div>
              <label htmlFor="endpoint-events" className="block text-sm font-medium text-slate-700">Events</label>
              <input id="endpoint-events" value={events} onChange={(e) => setEvents(e.target.value)} required aria-describedby="endpoint-events-help"
                className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
              <p id="endpoint-events-help" className="mt-1 text-xs text-slate-600">Comma-separated, e.g. payment.captured, refund.succeeded; * for all.</p>
            </div>
            <div>
              <label htmlFor="endpoint-description" className="block text-sm font-medium text-slate-700">Description (optional)</label>
              <input id="endpoint-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500}
                className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
            </div>
          </div>
          <button type="submit" disabled={busy || !url.trim()}
            className="mt-4 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50">
            {busy ? "Adding…" : "Add endpoint"}
          </button>
        </ClientForm>
      ) : (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">Your role can view webhook endpoints but not change them.</p>
      )}

      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
      {created && (
        <WebhookSecretReveal secret={created.secret} onDismiss={() => setCreated(null)}
          note={`Verify the Settle-Signature header of every request to ${created.url} with it.`} />
      )}

      {endpoints.length === 0 ? (
        <EmptyState title="No webhook endpoints yet">Add an endpoint to receive payment, refund and dispute events on your server.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Webhook endpoints</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">URL</th>
                <th scope="col" className="px-4 py-2">Events</th>
                <th scope="col" className="px-4 py-2">Status</th>
                <th scope="col" className="px-4 py-2">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {endpoints.map((endpoint) => (
                <tr key={endpoint.id} data-testid={`webhook-row-${endpoint.id}`}>
                  <td className="max-w-md px-4 py-2">
                    <Link href={`/developers/webhooks/${endpoint.id}`} className="break-all font-medium text-brand-700 hover:underline">{endpoint.url}</Link>
                    {endpoint.description && <span className="block text-xs text-slate-600">{endpoint.description}</span>}
                  </td>
                  <td className="px-4 py-2 font-mono text-xs">{endpoint.enabled_events.join(", ")}</td>
                  <td className="px-4 py-2"><WebhookStatusBadge status={endpoint.status} /></td>
                  <td className="px-4 py-2"><TimeStamp iso={endpoint.created} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
