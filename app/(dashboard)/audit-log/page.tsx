import type { Metadata } from "next";
import { headers } from "next/headers";
import { AuditChainStatus } from "@/components/audit-chain-status";
import { AuditForbidden } from "@/components/audit-forbidden";
import { AuditLogFilters, AuditLogTable, type AuditFilterValues } from "@/components/audit-log-table";
import { PageHeader } from "@/components/page-header";
import { CAPABILITIES, can } from "@/lib/auth/roles";
import { getDashboardUser } from "@/lib/auth/session";
import { listAuditEvents, recordAuditLogAccess, ZAuditLogFilters } from "@/lib/compliance/list-audit-events";
import { userActorFromHeaders } from "@/lib/compliance/request-actor";
import { verifyAuditChainIncrementally } from "@/lib/compliance/audit-chain-checkpoint";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const user = (await getDashboardUser())!;
  const actor = userActorFromHeaders(user.id, await headers());
  if (!can(user.role, "viewAuditLog")) {
    await recordAuditLogAccess({ merchantId: user.merchantId, actor, allowed: false });
    return <AuditForbidden what="audit log" role={user.role} needed={CAPABILITIES.viewAuditLog} />;
  }
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
  const parsed = ZAuditLogFilters.safeParse(raw);
  const filters = parsed.success ? parsed.data : {};
  const used = Object.fromEntries(Object.entries(raw).filter(([key, value]) => value && key in ZAuditLogFilters.shape)) as Record<string, string>;
  await recordAuditLogAccess({ merchantId: user.merchantId, actor, allowed: true, filters: used });
  const [{ events, nextBefore }, verification] = await Promise.all([listAuditEvents(user.merchantId, filters), verifyAuditChainIncrementally(user.merchantId)]);

  const values: AuditFilterValues = { actor: raw.actor, action: raw.action, target: raw.target, from: raw.from, to: raw.to };
  const nextParams = new URLSearchParams(Object.entries(values).filter((entry): entry is [string, string] => Boolean(entry[1])));
  if (nextBefore) nextParams.set("before", nextBefore);
  return (
    <>
      <PageHeader title="Audit log" description="Every sign-in, change and access to personal data, append-only and hash-chained so that any edit or deletion shows." />
      <AuditChainStatus verification={verification} />
      <AuditLogFilters values={values} />
      {!parsed.success && <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">Some filters were not understood and were ignored: {parsed.error.issues[0]?.path.join(".")}.</p>}
      <AuditLogTable events={events} nextHref={nextBefore ? `/audit-log?${nextParams}` : null} />
    </>
  );
}
