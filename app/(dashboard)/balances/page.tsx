import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { BalancesTransferForm } from "@/components/balances-transfer-form";
import { EmptyState, PageHeader } from "@/components/page-header";
import { TimeStamp } from "@/components/time-stamp";
import { can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { listAccountsView, listEntriesView } from "@/lib/dashboard/balances";
import { humanize, localeFromAcceptLanguage, money } from "@/lib/dashboard/format";

export const metadata: Metadata = { title: "Balances" };
export const dynamic = "force-dynamic";

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function BalancesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [user, params, requestHeaders] = await Promise.all([getDashboardUser(), searchParams, headers()]);
  if (!user) redirect("/sign-in"); // the layout redirects too; pages render alongside it
  const locale = localeFromAcceptLanguage(requestHeaders.get("accept-language"));
  const accountId = one(params.account);
  const [accounts, history] = await Promise.all([
    listAccountsView(user!.merchantId, { after: one(params.accounts_after) }),
    accountId ? listEntriesView(user!.merchantId, accountId, { after: one(params.entries_after) }) : Promise.resolve(null),
  ]);
  return (
    <>
      <PageHeader title="Balances and accounts" description="Every ledger account with its balance (on the side it grows), its entry history, and transfers between accounts." />
      <div className="grid gap-6 xl:grid-cols-5">
        <section aria-labelledby="accounts-heading" className="xl:col-span-3">
          <h2 id="accounts-heading" className="mb-2 text-sm font-semibold text-slate-900">Accounts</h2>
          {accounts.rows.length === 0 ? <EmptyState title="No accounts yet">Accounts are created with the first payment in a currency, or through the API.</EmptyState> : (
            <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
              <table className="min-w-full text-left text-sm" data-testid="accounts-table">
                <caption className="sr-only">Ledger accounts</caption>
                <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                  <tr><th scope="col" className="px-4 py-2">Account</th><th scope="col" className="px-4 py-2">Type</th><th scope="col" className="px-4 py-2 text-right">Balance</th><th scope="col" className="px-4 py-2">Status</th></tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {accounts.rows.map((account) => (
                    <tr key={account.id} className={account.id === accountId ? "bg-brand-50" : undefined}>
                      <td className="px-4 py-2">
                        <Link href={`/balances?account=${account.id}`} aria-current={account.id === accountId ? "true" : undefined} className="font-medium text-brand-700 underline">{account.name}</Link>
                        <span className="block font-mono text-xs text-slate-600">{account.code ?? account.purpose} · {account.id}</span>
                      </td>
                      <td className="px-4 py-2">{humanize(account.type)}</td>
                      <td className="whitespace-nowrap px-4 py-2 text-right font-medium tabular-nums">{money(account.balanceMinor, account.currency, locale)}</td>
                      <td className="px-4 py-2">{humanize(account.status)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {accounts.nextCursor && <Link href={`/balances?accounts_after=${accounts.nextCursor}`} className="mt-2 inline-block text-sm font-medium text-brand-700 underline">More accounts</Link>}
        </section>
        <div className="space-y-6 xl:col-span-2">
          {can(user!.role, "transfer") ? (
            <BalancesTransferForm accounts={accounts.rows.filter((a) => a.status === "open").map((a) => ({ id: a.id, name: a.name, currency: a.currency, balanceDisplay: money(a.balanceMinor, a.currency, locale) }))} />
          ) : (
            <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">Your role can view balances but not move money.</p>
          )}
          <section aria-labelledby="entries-heading">
            <h2 id="entries-heading" className="mb-2 text-sm font-semibold text-slate-900">{history ? `Entries of ${history.account.name}` : "Entry history"}</h2>
            {!history ? <EmptyState title={accountId ? "No such account" : "Choose an account"}>Its entries appear here, newest first.</EmptyState>
              : history.rows.length === 0 ? <EmptyState title="No entries yet" /> : (
                // Focusable so keyboard users can scroll it sideways on a narrow screen (it holds no links).
                <div tabIndex={0} role="region" aria-label={`Entries of ${history.account.name}, scrollable`} className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
                  <table className="min-w-full text-left text-sm" data-testid="entries-table">
                    <caption className="sr-only">Entries of {history.account.name}</caption>
                    <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600"><tr><th scope="col" className="px-3 py-2">When</th><th scope="col" className="px-3 py-2">Description</th><th scope="col" className="px-3 py-2 text-right">Amount</th><th scope="col" className="px-3 py-2 text-right">Balance after</th></tr></thead>
                    <tbody className="divide-y divide-slate-100">
                      {history.rows.map((entry) => (
                        <tr key={entry.id}>
                          <td className="whitespace-nowrap px-3 py-2 text-xs"><TimeStamp iso={entry.created} /></td>
                          <td className="px-3 py-2">{entry.description}</td>
                          <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{entry.direction === "debit" ? "Dr " : "Cr "}{money(entry.amountMinor, entry.currency, locale)}</td>
                          <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">{money(entry.balanceAfterMinor, entry.currency, locale)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            {history?.nextCursor && <Link href={`/balances?account=${history.account.id}&entries_after=${history.nextCursor}`} className="mt-2 inline-block text-sm font-medium text-brand-700 underline">Older entries</Link>}
          </section>
        </div>
      </div>
    </>
  );
}
