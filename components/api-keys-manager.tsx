"use client";
import { ClientForm } from "./client-form";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ApiKeyDto } from "@/lib/auth/api-keys.types";
import { apiFetch } from "./api-fetch";
import { EmptyState } from "./page-header";
import { TimeStamp } from "./time-stamp";

const RESOURCES = ["payments", "refunds", "transfers", "accounts", "customers", "disputes", "checkout", "webhooks", "reports"] as const;

export function ApiKeysManager({ initialKeys, canManage }: { initialKeys: ApiKeyDto[]; canManage: boolean }) {
  const router = useRouter();
  const [keys, setKeys] = useState(initialKeys);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"secret" | "restricted">("secret");
  const [scopes, setScopes] = useState<Record<string, string>>({});
  const [revealed, setRevealed] = useState<{ id: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = kind === "restricted" ? { name, kind, scopes } : { name, kind };
      const result = await apiFetch<{ apiKey: ApiKeyDto; secret: string }>("/api/dashboard/api-keys", { method: "POST", body });
      setKeys([result.apiKey, ...keys]);
      setRevealed({ id: result.apiKey.id, secret: result.secret });
      setName("");
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(id: string) {
    if (!window.confirm("Revoke this key? Requests using it will fail immediately.")) return;
    setError(null);
    try {
      const updated = await apiFetch<ApiKeyDto>(`/api/dashboard/api-keys/${id}/revoke`, { method: "POST" });
      setKeys(keys.map((key) => (key.id === id ? updated : key)));
      if (revealed?.id === id) setRevealed(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="space-y-6">
      {canManage ? (
        <ClientForm onSubmit={create} className="rounded-xl border border-slate-200 bg-white p-5" aria-labelledby="create-key-heading">
          <h2 id="create-key-heading" className="text-sm font-semibold">Create a key</h2>
          <div className="mt-3 flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="key-name" className="block text-sm font-medium text-slate-700">Name</label>
              <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100}
                placeholder="e.g. Production server" className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-2 text-sm" />
            </div>
            <div>
              <label htmlFor="key-kind" className="block text-sm font-medium text-slate-700">Type</label>
              <select id="key-kind" value={kind} onChange={(e) => setKind(e.target.value as "secret" | "restricted")}
                className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
                <option value="secret">Secret (full access)</option>
                <option value="restricted">Restricted (scoped)</option>
              </select>
            </div>
            <button type="submit" disabled={busy || !name.trim()}
              className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 disabled:opacity-50">
              Create key
            </button>
          </div>
          {kind === "restricted" && (
            <fieldset className="mt-4">
              <legend className="text-sm font-medium text-slate-700">Permissions</legend>
              <div className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
                {RESOURCES.map((resource) => (
                  <label key={resource} className="flex items-center justify-between gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm">
                    <span className="capitalize">{resource}</span>
                    <select aria-label={`${resource} permission`} value={scopes[resource] ?? "none"}
                      onChange={(e) => setScopes({ ...scopes, [resource]: e.target.value })} className="rounded border border-slate-300 px-2 py-1 text-sm">
                      <option value="none">None</option>
                      <option value="read">Read</option>
                      <option value="write">Write</option>
                    </select>
                  </label>
                ))}
              </div>
            </fieldset>
          )}
        </ClientForm>
      ) : (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">Your role can view keys but not create or revoke them.</p>
      )}

      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}

      {revealed && (
        <div role="status" className="rounded-xl border border-emerald-300 bg-emerald-50 p-4">
          <p className="text-sm font-semibold text-emerald-900">Copy your new secret key now. It will not be shown again.</p>
          <code data-testid="new-secret" className="mt-2 block break-all rounded bg-white px-3 py-2 font-mono text-sm">{revealed.secret}</code>
          <button type="button" onClick={() => setRevealed(null)} className="mt-2 text-sm font-medium text-emerald-800 underline">
            I have stored it safely
          </button>
        </div>
      )}

      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">Create a key to call the Settle API from your server.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="API keys table">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">API keys</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">Name</th>
                <th scope="col" className="px-4 py-2">Key</th>
                <th scope="col" className="px-4 py-2">Type</th>
                <th scope="col" className="px-4 py-2">Created</th>
                <th scope="col" className="px-4 py-2">Last used</th>
                <th scope="col" className="px-4 py-2">Status</th>
                <th scope="col" className="px-4 py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.map((key) => (
                <tr key={key.id} data-testid={`api-key-row-${key.id}`}>
                  <td className="px-4 py-2 font-medium">{key.name}</td>
                  <td className="px-4 py-2 font-mono text-xs">{key.prefix}…</td>
                  <td className="px-4 py-2 capitalize">{key.kind}</td>
                  <td className="px-4 py-2"><TimeStamp iso={key.created} /></td>
                  <td className="px-4 py-2"><TimeStamp iso={key.last_used} /></td>
                  <td className="px-4 py-2">
                    {key.revoked ? <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-700">Revoked</span>
                      : <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">Active</span>}
                  </td>
                  <td className="px-4 py-2 text-right">
                    {canManage && !key.revoked && (
                      <button type="button" onClick={() => revoke(key.id)} className="text-sm font-medium text-red-700 hover:underline">
                        Revoke<span className="sr-only"> {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
