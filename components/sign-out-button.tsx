"use client";
import { signOut } from "next-auth/react";
import { useHydrated } from "./use-hydrated";

export function SignOutButton() {
  const hydrated = useHydrated();
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/sign-in" })} disabled={!hydrated}
      className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60">
      Sign out
    </button>
  );
}
