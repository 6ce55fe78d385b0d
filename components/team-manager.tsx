"use client";
import { ClientForm } from "./client-form";
import { useState } from "react";
import type { UserDto } from "@/lib/tenancy/manage-tenancy";
import { apiFetch } from "./api-fetch";
import { TimeStamp } from "./time-stamp";

const ROLES = ["owner", "admin", "staff", "viewer"] as const;

export function TeamManager({ initialUsers, canManage, currentUserId }: { initialUsers: UserDto[]; canManage: boolean; currentUserId: string }) {
  const [users, setUsers] = useState(initialUsers);
  const [invite, setInvite] = useState({ email: "", name: "", role: "staff" });
  const [invited, setInvited] = useState<{ email: string; password: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onInvite(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const result = await apiFetch<{ user: UserDto; password: string }>("/api/dashboard/team", { method: "POST", body: invite });
      setUsers([...users, result.user]);
      setInvited({ email: result.user.email, password: result.password });
      setInvite({ email: "", name: "", role: "staff" });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function changeRole(id: string, role: string) {
    setError(null);
    try {
      const updated = await apiFetch<UserDto>(`/api/dashboard/team/${id}`, { method: "PATCH", body: { role } });
      setUsers(users.map((user) => (user.id === id ? updated : user)));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <div className="space-y-6">
      {canManage && (
        <ClientForm onSubmit={onInvite} className="rounded-xl border border-slate-200 bg-white p-5" aria-labelledby="invite-heading">
          <h2 id="invite-heading" className="text-sm font-semibold">Invite a teammate</h2>
          <div className="mt-3 flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="invite-name" className="block text-sm font-medium text-slate-700">Name</label>
              <input id="invite-name" required value={invite.name} onChange={(e) => setInvite({ ...invite, name: e.target.value })}
                className="mt-1 w-48 rounded-md border border-slate-300 px-3 py-2 text-sm" />
            </div>
            <div>
              <label htmlFor="invite-email" className="block text-sm font-medium text-slate-700">Email</label>
              <input id="invite-email" type="email" required value={invite.email} onChange={(e) => setInvite({ ...invite, email: e.target.value })}
                className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-2 text-sm" />
            </div>
            <div>
              <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700">Role</label>
              <select id="invite-role" value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.target.value })}
                className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
                {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
              </select>
            </div>
            <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">Invite</button>
          </div>
        </ClientForm>
      )}
      {invited && (
        <div role="status" className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 text-sm">
          <p className="font-semibold text-emerald-900">Invited {invited.email}. Share this one-time password securely; it is not shown again:</p>
          <code className="mt-2 block rounded bg-white px-3 py-2 font-mono">{invited.password}</code>
        </div>
      )}
      {error && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Team members table">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Team members</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">Name</th>
              <th scope="col" className="px-4 py-2">Email</th>
              <th scope="col" className="px-4 py-2">Role</th>
              <th scope="col" className="px-4 py-2">Last sign-in</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id}>
                <td className="px-4 py-2 font-medium">{user.name}</td>
                <td className="px-4 py-2">{user.email}</td>
                <td className="px-4 py-2">
                  {canManage && user.id !== currentUserId ? (
                    <select aria-label={`Role of ${user.email}`} value={user.role} onChange={(e) => changeRole(user.id, e.target.value)}
                      className="rounded border border-slate-300 px-2 py-1 text-sm">
                      {ROLES.map((role) => <option key={role} value={role}>{role}</option>)}
                    </select>
                  ) : (
                    <span className="capitalize">{user.role}</span>
                  )}
                </td>
                <td className="px-4 py-2"><TimeStamp iso={user.last_sign_in} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
