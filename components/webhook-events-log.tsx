"use client";
import { ClientForm } from "./client-form";
// Developers → Events: every event Settle recorded for the merchant, newest first, filterable by type,
// with the payload as delivered and a resend to the endpoints it went to.
import { useCallback, useEffect, useState } from "react";
import type { MerchantEventJson } from "@/lib/notifications/event-json";
import { apiFetch } from "./api-fetch";
import { EmptyState } from "./page-header";
import { TimeStamp } from "./time-stamp";

type State = { kind: "loading" } | { kind: "error"; message: string } | { kind: "ready"; events: MerchantEventJson[]; hasMore: boolean };
const PAGE_SIZE = 25;

export function WebhookEventsLog({ canManage }: { canManage: boolean }) {
  const [type, setType] = useState("");
  const [applied, setApplied] = useState("");
  const [state, setState] = useState<State>({ kind: "loading" });
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async (filter: string, after?: string, previous: MerchantEventJson[] = []) => {
    if (!after) setState({ kind: "loading" });
    try {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (filter) params.set("type", filter);
      if (after) params.set("starting_after", after);
      const page = await apiFetch<{ data: MerchantEventJson[]; has_more: boolean }>(`/api/dashboard/events?${params}`);
      setState({ kind: "ready", events: [...previous, ...page.data], hasMore: page.has_more });
    } catch (e) {
      setState({ kind: "error", message: (e as Error).message });
    }
  }, []);

  useEffect(() => {
    void load(applied);
  }, [applied, load]);

  async function resend(id: string) {
    setMessage(null);
    try {
      const result = await apiFetch<{ data: { status: string }[] }>(`/api/dashboard/events/${id}/resend`, { method: "POST", body: {} });
      const delivered = result.data.filter((d) => d.status === "succeeded").length;
      setMessage(`Resent to ${result.data.length} endpoint(s); ${delivered} delivered.`);
    } catch (e) {
      setMessage((e as Error).message);
    }
  }

  return (
    <div className="space-y-4">
      <ClientForm onSubmit={(e) => { e.preventDefault(); setApplied(type.trim()); }} className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="event-type-filter" className="block text-sm font-medium text-slate-700">Event type</label>
          <input id="event-type-filter" value={type} onChange={(e) => setType(e.target.value)} placeholder="payment.captured or payment.*"
            className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
        </div>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50">Filter</button>
      </ClientForm>
      {message && <p role="status" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800">{message}</p>}
      {state.kind === "loading" && <p role="status" className="text-sm text-slate-600">Loading events…</p>}
      {state.kind === "error" && (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          Could not load events: {state.message} <button type="button" onClick={() => void load(applied)} className="font-medium underline">Try again</button>
        </div>
      )}
      {state.kind === "ready" && state.events.length === 0 && (
        <EmptyState title={applied ? `No ${applied} events` : "No events yet"}>Events appear here when payments, refunds and disputes change.</EmptyState>
      )}
      {state.kind === "ready" && state.events.length > 0 && (
        <>
          <ul className="space-y-2" data-testid="event-log">
            {state.events.map((event) => (
              <li key={event.id} className="rounded-xl border border-slate-200 bg-white">
                <details>
                  <summary className="flex cursor-pointer flex-wrap items-center gap-3 px-4 py-3 text-sm">
                    <span className="font-mono text-xs font-semibold">{event.type}</span>
                    <span className="font-mono text-xs text-slate-600">{event.data.object_id}</span>
                    <span className="text-xs text-slate-600">version {event.object_version}</span>
                    <span className="ml-auto text-slate-600"><TimeStamp iso={event.created} /></span>
                  </summary>
                  <div className="border-t border-slate-100 px-4 py-3">
                    <p className="text-xs text-slate-600">Event <span className="font-mono">{event.id}</span></p>
                    <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-50 p-3 text-xs">{JSON.stringify(event, null, 2)}</pre>
                    {canManage && (
                      <button type="button" onClick={() => void resend(event.id)} className="mt-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
                        Resend
                      </button>
                    )}
                  </div>
                </details>
              </li>
            ))}
          </ul>
          {state.hasMore && (
            <button type="button" onClick={() => void load(applied, state.events.at(-1)!.id, state.events)} className="text-sm font-medium text-brand-700 hover:underline">
              Load more
            </button>
          )}
        </>
      )}
    </div>
  );
}
