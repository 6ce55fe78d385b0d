"use client";
// Sub-navigation of Developers: API keys, Webhooks, Events, Emails.
import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/developers/api-keys", label: "API keys" },
  { href: "/developers/webhooks", label: "Webhooks" },
  { href: "/developers/events", label: "Events" },
  { href: "/developers/emails", label: "Emails" },
] as const;

export function WebhookDevelopersTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Developers" className="mb-6 border-b border-slate-200">
      <ul className="-mb-px flex gap-4 overflow-x-auto text-sm">
        {TABS.map((tab) => {
          const active = pathname === tab.href || pathname.startsWith(`${tab.href}/`);
          return (
            <li key={tab.href}>
              <Link href={tab.href} aria-current={active ? "page" : undefined}
                className={`inline-block border-b-2 px-1 pb-2 font-medium ${active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}>
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
