// Dashboard pages at scale: N payments generated set-based in SQL for the demo merchant (triggers off:
// this is data setup, not the code under test; the overview's rollup is rebuilt after), then the server render of /payments and /dashboard timed
// with a session cookie obtained the way the browser signs in (csrf → /api/auth/callback/credentials).
import pg from "pg";
import { round, runLoad, sampleRss, summarize, type LatencySummary } from "./lib/load";
import type { Stack } from "./lib/stack";

export const DEMO_OWNER = { email: "owner@demo.settle.test", password: "settle-demo-owner" };

export async function generatePayments(stack: Stack, merchantId: string, rows: number): Promise<{ rows: number; generateMs: number }> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    // 90 days back from now; statuses in realistic proportions; ids sort by time like the app's ULID-style ids.
    await client.query(
      `INSERT INTO payments (id, merchant_id, amount, amount_captured, currency, status, capture_method, payment_method_type, payment_method,
                             payment_method_details, idempotency_key, psp_payment_intent_id, psp_charge_id, receipt_number, receipt_token, fee_amount, created_at, updated_at, captured_at)
       SELECT 'pay_0bench' || lpad(g::text, 10, '0'), $1, 500 + g % 20000,
              CASE WHEN g % 20 = 0 THEN 0 ELSE 500 + g % 20000 END, 'USD',
              (CASE WHEN g % 20 = 0 THEN 'failed' WHEN g % 7 = 0 THEN 'captured' ELSE 'settled' END)::"PaymentStatus", 'automatic', 'card', 'pm_card_visa',
              jsonb_build_object('brand', 'visa', 'last4', lpad((g % 10000)::text, 4, '0')), 'bench_' || g, 'pi_bench_' || g, 'ch_bench_' || g, 'RB' || g, 'rtb_' || g, round((500 + g % 20000) * 0.029) + 30,
              now() - make_interval(secs => ($2::int - g) * (7776000.0 / $2::int)),
              now() - make_interval(secs => ($2::int - g) * (7776000.0 / $2::int)),
              CASE WHEN g % 20 = 0 THEN NULL ELSE now() - make_interval(secs => ($2::int - g) * (7776000.0 / $2::int)) END
       FROM generate_series(1, $2::int) g`,
      [merchantId, rows],
    );
    await client.query(`SET session_replication_role = origin`);
    // The bulk load bypassed the rollup's triggers with every other trigger: recompute it, as after any bulk load.
    await client.query(`SELECT dashboard_rollup_rebuild()`);
    await client.query(`ANALYZE payments`);
  } finally {
    await client.end();
  }
  return { rows, generateMs: Math.round(performance.now() - started) };
}

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
}

/** Signs in like the sign-in page does and returns the Cookie header value of the session. */
export async function signInCookie(appUrl: string, credentials = DEMO_OWNER): Promise<string> {
  const csrfResponse = await fetch(`${appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const jar = cookiesOf(csrfResponse);
  const response = await fetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: appUrl },
    body: new URLSearchParams({ csrfToken, email: credentials.email, password: credentials.password, callbackUrl: `${appUrl}/dashboard`, json: "true" }).toString(),
  });
  const cookies = [...jar, ...cookiesOf(response)];
  if (!cookies.some((cookie) => cookie.includes("session-token="))) throw new Error(`sign-in failed: HTTP ${response.status}`);
  return cookies.join("; ");
}

export type PageResult = LatencySummary & { path: string; status: number; firstMs: number; perSecond: number; connections: number; peakRssMiB: number | null; bytes: number };

export async function benchPages(stack: Stack, options: { paths: string[]; samples: number; durationS: number; connections: number }): Promise<PageResult[]> {
  const cookie = await signInCookie(stack.appUrl);
  const results: PageResult[] = [];
  for (const path of options.paths) {
    const rss = sampleRss(stack.pidOf("app"));
    const fetchPage = async () => {
      const begin = performance.now();
      const response = await fetch(`${stack.appUrl}${path}`, { headers: { cookie }, redirect: "manual" });
      const text = await response.text();
      return { ms: performance.now() - begin, status: response.status, bytes: text.length };
    };
    const first = await fetchPage();
    const latencies: number[] = [];
    let status = first.status;
    for (let i = 0; i < options.samples; i++) {
      const sample = await fetchPage();
      status = sample.status;
      latencies.push(sample.ms);
    }
    const load = await runLoad({ name: path, url: `${stack.appUrl}${path}`, headers: { cookie }, connections: options.connections, durationS: options.durationS });
    results.push({ path, status, firstMs: round(first.ms), ...summarize(latencies), perSecond: load.perSecond, connections: options.connections, peakRssMiB: rss.stop(), bytes: first.bytes });
  }
  return results;
}
