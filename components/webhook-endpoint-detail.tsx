"use client";
// One webhook endpoint: send a test event, roll the secret, enable/disable, delete, and its delivery log
// (attempts with status code, latency, response excerpt, error) with resend.
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import type { WebhookDeliveryDto, WebhookEndpointDto, WebhookEndpointWithSecretDto } from "@/lib/notifications/webhook-endpoints.types";
import { apiFetch } from "./api-fetch";
import { EmptyState } from "./page-header";
import { TimeStamp } from "./time-stamp";
import { WebhookSecretReveal } from "./webhook-secret-reveal";
import { WebhookStatusBadge } from "./webhook-status-badge";

type LogState = { kind: "loading" } | { kind: "error"; message: string } | { kind: "ready"; deliveries: WebhookDeliveryDto[]; hasMore: boolean };

export function WebhookEndpointDetail({ initialEndpoint, canManage }: { initialEndpoint: WebhookEndpointDto; canManage: boolean }) {
  const router = useRouter();
  const [endpoint, setEndpoint] = useState(initialEndpoint);
  const [log, setLog] = useState<LogState>({ kind: "loading" });
  const [secret, setSecret] = useState<string | null>(null);
  const [graceHours, setGraceHours] = useState(24);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const loadLog = useCallback(async () => {
    try {
      const page = await apiFetch<{ data: WebhookDeliveryDto[]; has_more: boolean }>(`/api/dashboard/webhooks/${endpoint.id}/deliveries?limit=50`);
      setLog({ kind: "ready", deliveries: page.data, hasMore: page.has_more });
    } catch (e) {
      setLog({ kind: "error", message: (e as Error).message });
    }
  }, [endpoint.id]);

  useEffect(() => {
    void loadLog();
  }, [loadLog]);

  async function run(label: string, action: () => Promise<void>) {
    setBusy(label);
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  }

  const sendTest = () =>
    run("test", async () => {
      const delivery = await apiFetch<WebhookDeliveryDto>(`/api/dashboard/webhooks/${endpoint.id}/test`, { method: "POST" });
      setNotice(delivery.status === "succeeded" ? `Test event delivered (HTTP ${delivery.last_status_code}).` : `Test event failed: ${delivery.last_error ?? "no response"}`);
      await loadLog();
    });

  const roll = () =>
    run("roll", async () => {
      if (!window.confirm("Roll the signing secret? The current secret keeps working for the grace period you chose.")) return;
      const result = await apiFetch<WebhookEndpointWithSecretDto>(`/api/dashboard/webhooks/${endpoint.id}/roll-secret`, { method: "POST", body: { expires_in_hours: graceHours } });
      const { secret: newSecret, ...rest } = result;
      setEndpoint(rest);
      setSecret(newSecret);
    });

  const toggle = () =>
    run("toggle", async () => {
      const updated = await apiFetch<WebhookEndpointDto>(`/api/dashboard/webhooks/${endpoint.id}`, { method: "PATCH", body: { disabled: endpoint.status === "enabled" } });
      setEndpoint(updated);
    });

  const remove = () =>
    run("delete", async () => {
      if (!window.confirm("Delete this endpoint? It stops receiving events at once.")) return;
      await apiFetch(`/api/dashboard/webhooks/${endpoint.id}`, { method: "DELETE" });
      router.push("/developers/webhooks");
      router.refresh();
    });

  const resend = (deliveryId: string) =>
    run(`resend-${deliveryId}`, async () => {
      const delivery = await apiFetch<WebhookDeliveryDto>(`/api/dashboard/webhooks/deliveries/${deliveryId}/resend`, { method: "POST" });
      setNotice(delivery.status === "succeeded" ? "Resent: delivered." : `Resent: ${delivery.last_error ?? "failed"}`);
      await loadLog();
    });

  return (
    <div className="space-y-6">
      <section aria-labelledby="endpoint-heading" className="rounded-xl border border-slate-200 bg-white p-5">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <h2 id="endpoint-heading" className="break-all font-mono text-sm font-semibold">{endpoint.url}</h2>
            {endpoint.description && <p className="mt-1 text-sm text-slate-600">{endpoint.description}</p>}
            <p className="mt-2 text-sm text-slate-700">Events: <span className="font-mono text-xs">{endpoint.enabled_events.join(", ")}</span></p>
            {endpoint.previous_secret_expires && (
              <p className="mt-1 text-sm text-slate-700">Previous secret signs until <TimeStamp iso={endpoint.previous_secret_expires} />.</p>
            )}
          </div>
          <WebhookStatusBadge status={endpoint.status} />
        </div>
        {canManage && (
          <div className="mt-4 flex flex-wrap items-end gap-3 border-t border-slate-100 pt-4">
            <button type="button" onClick={sendTest} disabled={busy !== null || endpoint.status !== "enabled"}
              className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50">
              {busy === "test" ? "Sending…" : "Send test event"}
            </button>
            <div className="flex items-end gap-2">
              <div>
                <label htmlFor="grace-hours" className="block text-xs font-medium text-slate-700">Old secret valid for</label>
                <select id="grace-hours" value={graceHours} onChange={(e) => setGraceHours(Number(e.target.value))} className="mt-1 rounded-md border border-slate-300 px-2 py-2 text-sm">
                  <option value={0}>No grace period</option>
                  <option value={1}>1 hour</option>
                  <option value={24}>24 hours</option>
                  <option value={72}>3 days</option>
                  <option value={168}>7 days</option>
                </select>
              </div>
              <button type="button" onClick={roll} disabled={busy !== null} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-50">
                Roll secret
              </button>
            </div>
            <button type="button" onClick={toggle} disabled={busy !== null} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-50">
              {endpoint.status === "enabled" ? "Disable" : "Enable"}
            </button>
            <button type="button" onClick={remove} disabled={busy !== null} className="rounded-md px-3 py-2 text-sm font-medium text-red-700 hover:underline disabled:opacity-50">
              Delete endpoint
            </button>
          </div>
        )}
      </section>

      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
      {notice && <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">{notice}</p>}
      {secret && <WebhookSecretReveal secret={secret} onDismiss={() => setSecret(null)} />}

      <section aria-labelledby="deliveries-heading">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="deliveries-heading" className="text-sm font-semibold">Delivery log</h2>
          <button type="button" onClick={() => { setLog({ kind: "loading" }); void loadLog(); }} className="text-sm font-medium text-brand-700 hover:underline">Refresh</button>
        </div>
        {log.kind === "loading" && <p role="status" className="text-sm text-slate-600">Loading deliveries…</p>}
        {log.kind === "error" && (
          <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            Could not load the delivery log: {log.message}{" "}
            <button type="button" onClick={() => void loadLog()} className="font-medium underline">Try again</button>
          </div>
        )}
        {log.kind === "ready" && log.deliveries.length === 0 && (
          <EmptyState title="No deliveries yet">Events this endpoint subscribes to appear here as they are sent. Send a test event to try it.</EmptyState>
        )}
        {log.kind === "ready" && log.deliveries.length > 0 && (
          <ul className="space-y-2" data-testid="delivery-log">
            {log.deliveries.map((delivery) => (
              <li key={delivery.id} className="rounded-xl border border-slate-200 bg-white" data-testid={`delivery-${delivery.id}`}>
                <details>
                  <summary className="flex cursor-pointer flex-wrap items-center gap-3 px-4 py-3 text-sm">
                    <WebhookStatusBadge status={delivery.status} />
                    <span className="font-mono text-xs">{delivery.event_type}</span>
                    <span className="text-slate-600">{delivery.last_status_code ? `HTTP ${delivery.last_status_code}` : delivery.last_error ?? "—"}</span>
                    <span className="text-slate-600">{delivery.attempt_count} {delivery.attempt_count === 1 ? "attempt" : "attempts"}</span>
                    <span className="ml-auto text-slate-600"><TimeStamp iso={delivery.created} /></span>
                  </summary>
                  <div className="border-t border-slate-100 px-4 py-3 text-sm">
                    <p className="text-xs text-slate-600">Event <span className="font-mono">{delivery.event}</span> · delivery <span className="font-mono">{delivery.id}</span></p>
                    {delivery.next_attempt && <p className="mt-1 text-xs text-slate-600">Next automatic attempt: <TimeStamp iso={delivery.next_attempt} /></p>}
                    <table className="mt-2 w-full text-left text-xs">
                      <caption className="sr-only">Attempts</caption>
                      <thead className="text-slate-600">
                        <tr><th scope="col" className="py-1">#</th><th scope="col">Trigger</th><th scope="col">Result</th><th scope="col">Latency</th><th scope="col">Response</th><th scope="col">When</th></tr>
                      </thead>
                      <tbody className="divide-y divide-slate-100">
                        {(delivery.attempts ?? []).map((attempt) => (
                          <tr key={attempt.id}>
                            <td className="py-1">{attempt.attempt_number}</td>
                            <td className="capitalize">{attempt.trigger}</td>
                            <td>{attempt.status_code ? `HTTP ${attempt.status_code}` : "—"}{attempt.error && <span className="block text-red-700">{attempt.error}</span>}</td>
                            <td>{attempt.latency_ms} ms</td>
                            <td className="max-w-xs truncate font-mono" title={attempt.response_excerpt ?? ""}>{attempt.response_excerpt || "—"}</td>
                            <td><TimeStamp iso={attempt.created} /></td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                    {canManage && (
                      <button type="button" onClick={() => resend(delivery.id)} disabled={busy !== null || endpoint.status !== "enabled"}
                        className="mt-3 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-50">
                        {busy === `resend-${delivery.id}` ? "Resending…" : "Resend"}
                      </button>
                    )}
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
