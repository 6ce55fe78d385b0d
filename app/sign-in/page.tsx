import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { getDashboardUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage() {
  if (await getDashboardUser()) redirect("/dashboard");
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-2xl font-semibold tracking-tight text-slate-900">
            <span aria-hidden="true" className="mr-2 inline-block h-3 w-3 rounded-sm bg-brand-600" />
            Settle
          </p>
          <h1 className="mt-2 text-sm text-slate-600">Sign in to your merchant dashboard</h1>
        </div>
        <SignInForm />
      </div>
    </main>
  );
}
