import { redirect } from "next/navigation";
import { DashboardNav, type NavItem } from "@/components/dashboard-nav";
import { ReconciliationBanner } from "@/components/reconciliation-banner";
import { SignOutButton } from "@/components/sign-out-button";
import { getDashboardUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const NAV: NavItem[] = [
  { href: "/dashboard", label: "Overview" },
  { href: "/payments", label: "Payments" },
  { href: "/balances", label: "Balances" },
  { href: "/customers", label: "Customers" },
  { href: "/disputes", label: "Disputes" },
  { href: "/refunds", label: "Refunds" },
  { href: "/reviews", label: "Reviews" },
  { href: "/reconciliation", label: "Reconciliation" },
  { href: "/audit-log", label: "Audit log" },
  { href: "/developers/api-keys", label: "Developers" },
  { href: "/team", label: "Team" },
];

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await getDashboardUser();
  if (!user) redirect("/sign-in");
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3">
          <p className="font-semibold tracking-tight">
            <span aria-hidden="true" className="mr-2 inline-block h-2.5 w-2.5 rounded-sm bg-brand-600" />
            Settle <span className="ml-2 font-normal text-slate-500">{user.merchantName}</span>
          </p>
          <div className="flex items-center gap-3 text-sm">
            <span className="hidden text-slate-600 sm:inline" data-testid="current-user">
              {user.email} · <span className="capitalize">{user.role}</span>
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 md:flex-row">
        <aside className="md:w-48 md:shrink-0">
          <DashboardNav items={NAV} />
        </aside>
        <main id="main" className="min-w-0 flex-1">
          <ReconciliationBanner />
          {children}
        </main>
      </div>
    </div>
  );
}
