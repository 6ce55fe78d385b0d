// The overview page's numbers: per currency and per UTC day over the chosen period, gross volume (captured),
// refunds, disputes, fees, net and the success rate; and the merchant's balances from the ledger.
// The daily numbers come from the rollup (prisma/schema/dashboard.prisma): folded totals plus the deltas
// not folded yet, summed in one statement, so they equal an aggregate over the rows at that instant while
// reading at most one row per day and currency (plus a minute of deltas) instead of every payment.
import { sqlPool } from "@/lib/db/client";

export const OVERVIEW_PERIODS = [7, 30, 90] as const;
export type OverviewPeriod = (typeof OVERVIEW_PERIODS)[number];

export type DayPoint = {
  day: string; // YYYY-MM-DD (UTC)
  grossMinor: bigint;
  refundsMinor: bigint;
  disputesMinor: bigint;
  feesMinor: bigint;
  netMinor: bigint;
  succeeded: number;
  failed: number;
};

export type CurrencyOverview = {
  currency: string;
  days: DayPoint[];
  totals: Omit<DayPoint, "day"> & { disputeCount: number; successRate: number | null };
};

export type BalanceRow = { currency: string; availableMinor: bigint; pendingMinor: bigint };

export type Overview = { periodDays: OverviewPeriod; from: Date; to: Date; currencies: CurrencyOverview[]; balances: BalanceRow[] };

export function parsePeriod(value: string | string[] | undefined): OverviewPeriod {
  const days = Number(Array.isArray(value) ? value[0] : value);
  return (OVERVIEW_PERIODS as readonly number[]).includes(days) ? (days as OverviewPeriod) : 30;
}

function dayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export async function getOverview(merchantId: string, periodDays: OverviewPeriod, now: Date = new Date()): Promise<Overview> {
  const to = now;
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (periodDays - 1)));
  const pool = sqlPool();
  const [daily, balances] = await Promise.all([
    pool.query<{ currency: string; day: string; gross: string; fees: string; refunds: string; disputes: string; dispute_count: string; succeeded: string; failed: string }>(
      `SELECT currency, to_char(day, 'YYYY-MM-DD') AS day,
              sum(gross_minor)::text AS gross, sum(fees_minor)::text AS fees, sum(refunds_minor)::text AS refunds,
              sum(disputes_minor)::text AS disputes, sum(dispute_count)::text AS dispute_count,
              sum(succeeded_count)::text AS succeeded, sum(failed_count)::text AS failed
         FROM (SELECT currency, day, gross_minor, fees_minor, refunds_minor, disputes_minor, dispute_count, succeeded_count, failed_count
                 FROM dashboard_daily_totals WHERE merchant_id = $1 AND day >= $2::date
               UNION ALL
               SELECT currency, day, gross_minor, fees_minor, refunds_minor, disputes_minor, dispute_count, succeeded_count, failed_count
                 FROM dashboard_daily_deltas WHERE merchant_id = $1 AND day >= $2::date) parts
        GROUP BY 1, 2`,
      [merchantId, dayKey(from)],
    ),
    pool.query<{ currency: string; code: string; balance_minor: bigint }>(
      `SELECT currency, code, balance_minor FROM ledger_accounts
        WHERE merchant_id = $1 AND code IN ('merchant_available', 'merchant_pending')`,
      [merchantId],
    ),
  ]);

  const byCurrency = new Map<string, Map<string, DayPoint>>();
  const disputeCounts = new Map<string, number>();
  const point = (currency: string, key: string): DayPoint => {
    const code = currency.trim();
    let days = byCurrency.get(code);
    if (!days) {
      days = new Map();
      for (let i = 0; i < periodDays; i++) {
        const key = dayKey(new Date(from.getTime() + i * 86_400_000));
        days.set(key, { day: key, grossMinor: 0n, refundsMinor: 0n, disputesMinor: 0n, feesMinor: 0n, netMinor: 0n, succeeded: 0, failed: 0 });
      }
      byCurrency.set(code, days);
    }
    const found = days.get(key);
    if (found) return found;
    const extra = { day: key, grossMinor: 0n, refundsMinor: 0n, disputesMinor: 0n, feesMinor: 0n, netMinor: 0n, succeeded: 0, failed: 0 };
    days.set(key, extra);
    return extra;
  };
  for (const row of daily.rows) {
    // A day whose rows all went away (a payment deleted) leaves zeros behind: not a currency to show.
    if ([row.gross, row.fees, row.refunds, row.disputes, row.dispute_count, row.succeeded, row.failed].every((value) => value === "0")) continue;
    const p = point(row.currency, row.day);
    p.grossMinor += BigInt(row.gross);
    p.feesMinor += BigInt(row.fees);
    p.refundsMinor += BigInt(row.refunds);
    p.disputesMinor += BigInt(row.disputes);
    p.succeeded += Number(row.succeeded);
    p.failed += Number(row.failed);
    disputeCounts.set(row.currency.trim(), (disputeCounts.get(row.currency.trim()) ?? 0) + Number(row.dispute_count));
  }

  const currencies: CurrencyOverview[] = [...byCurrency.entries()]
    .map(([currency, days]) => {
      const list = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
      const totals = { grossMinor: 0n, refundsMinor: 0n, disputesMinor: 0n, feesMinor: 0n, netMinor: 0n, succeeded: 0, failed: 0 };
      for (const p of list) {
        p.netMinor = p.grossMinor - p.refundsMinor - p.disputesMinor - p.feesMinor;
        totals.grossMinor += p.grossMinor;
        totals.refundsMinor += p.refundsMinor;
        totals.disputesMinor += p.disputesMinor;
        totals.feesMinor += p.feesMinor;
        totals.netMinor += p.netMinor;
        totals.succeeded += p.succeeded;
        totals.failed += p.failed;
      }
      const attempts = totals.succeeded + totals.failed;
      return { currency, days: list, totals: { ...totals, disputeCount: disputeCounts.get(currency) ?? 0, successRate: attempts === 0 ? null : totals.succeeded / attempts } };
    })
    .sort((a, b) => (b.totals.grossMinor > a.totals.grossMinor ? 1 : b.totals.grossMinor < a.totals.grossMinor ? -1 : a.currency.localeCompare(b.currency)));

  const balanceMap = new Map<string, BalanceRow>();
  for (const row of balances.rows) {
    const currency = row.currency.trim();
    const entry = balanceMap.get(currency) ?? { currency, availableMinor: 0n, pendingMinor: 0n };
    if (row.code === "merchant_available") entry.availableMinor = BigInt(row.balance_minor);
    else entry.pendingMinor = BigInt(row.balance_minor);
    balanceMap.set(currency, entry);
  }
  return { periodDays, from, to, currencies, balances: [...balanceMap.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}
