// `npm run psp -- <command>`: drive a running PSP sandbox, in the spirit of the Stripe CLI.
import { SandboxControl, type FaultKind } from "../lib/psp/sandbox/control.ts";

const USAGE = `Usage: npm run psp -- <command> [options]   (sandbox URL: --url or PSP_SANDBOX_URL, default http://127.0.0.1:12111)

  status                               clock, object counts, balance, pending jobs and deliveries
  reset                                wipe all sandbox state
  trigger <event>                      run a real flow that emits <event> (payment_intent.succeeded, charge.refunded,
                                       charge.dispute.created, payout.paid, refund.failed, …)
  clock                                show the sandbox clock
  clock advance <duration>             move time forward (e.g. 90s, 15m, 2h, 7d) and run what became due
  clock freeze | real                  freeze the clock / return to real time
  flush [scheduler|webhooks]           run short async transitions / deliver pending webhooks (default: both)
  deliveries [--event evt_…] [--status pending|delivered|failed|dropped] [--limit N]
  resend <evt_…> [--endpoint we_…]     redeliver an event
  fault <kind> [--path /v1/…] [--method POST] [--count N | --rate 0.2] [--latency ms] [--retry true|false] [--hang ms]
                                       kinds: latency 500 502 503 429 409 reset 500_after commit_drop truncated_body
  faults [clear]                       list or clear API and webhook faults
  webhook-faults [--duplicate r] [--drop r] [--reorder] [--window N] [--delay ms] [--duplicate-count N] [--drop-count N]
  dispute <du_…> won|lost              force a dispute outcome
  3ds <pi_…> complete|fail             finish a pending 3-D Secure challenge
  payouts run [--fail <code>]          sweep the available balance into an automatic payout
  payouts fail <po_…> [code]           fail a payout (account_closed, no_account, …)
  alter missing|extra|amount-off [--bt txn_…] [--amount N] [--delta N]
                                       tamper with settlement data so reconciliation has something to find`;

function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const [name, inline] = arg.slice(2).split("=", 2);
      if (inline !== undefined) flags[name] = inline;
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) flags[name] = argv[++i];
      else flags[name] = true;
    } else positional.push(arg);
  }
  return { positional, flags };
}

export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new Error(`Invalid duration: ${text} (use e.g. 90s, 15m, 2h, 7d)`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? "s") as "s" | "m" | "h" | "d"];
  return Math.round(Number(match[1]) * unit);
}

const num = (value: string | true | undefined) => (value === undefined || value === true ? undefined : Number(value));

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const url = (typeof flags.url === "string" ? flags.url : undefined) ?? process.env.PSP_SANDBOX_URL ?? "http://127.0.0.1:12111";
  const control = new SandboxControl(url);
  const [command, ...rest] = positional;
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

  switch (command) {
    case "status": {
      const state = await control.state();
      const { config: _config, jobs, ...summary } = state as Record<string, unknown> & { jobs: unknown[] };
      return print({ ...summary, next_jobs: (jobs ?? []).slice(0, 10) });
    }
    case "reset":
      return print(await control.reset());
    case "trigger":
      if (!rest[0]) throw new Error("trigger needs an event type");
      return print(await control.trigger(rest[0]));
    case "clock":
      if (!rest[0]) return print(await control.clock());
      if (rest[0] === "advance") return print(await control.advanceClock(parseDuration(rest[1] ?? "0")));
      if (rest[0] === "freeze") return print(await control.setClock("frozen"));
      if (rest[0] === "real") return print(await control.setClock("real"));
      throw new Error(`unknown clock command: ${rest[0]}`);
    case "flush": {
      const what = rest[0] ?? "all";
      const out: Record<string, unknown> = {};
      if (what === "all" || what === "scheduler") out.scheduler = await control.flushScheduler();
      if (what === "all" || what === "webhooks") out.webhooks = await control.flushWebhooks();
      return print(out);
    }
    case "deliveries":
      return print(
        await control.deliveries({
          eventId: typeof flags.event === "string" ? flags.event : undefined,
          status: typeof flags.status === "string" ? (flags.status as "pending") : undefined,
          limit: num(flags.limit) ?? 20,
        }),
      );
    case "resend":
      if (!rest[0]) throw new Error("resend needs an event id");
      return print(await control.resendEvent(rest[0], typeof flags.endpoint === "string" ? flags.endpoint : undefined));
    case "fault":
      if (!rest[0]) throw new Error("fault needs a kind");
      return print(
        await control.injectFault({
          kind: rest[0] as FaultKind,
          path: typeof flags.path === "string" ? flags.path : undefined,
          method: typeof flags.method === "string" ? (flags.method.toUpperCase() as "POST") : undefined,
          count: num(flags.count),
          rate: num(flags.rate),
          latencyMs: num(flags.latency),
          hangMs: num(flags.hang),
          shouldRetry: flags.retry === undefined ? undefined : flags.retry === "true" || flags.retry === true,
        }),
      );
    case "faults":
      if (rest[0] === "clear") {
        await control.clearFaults();
        return print({ cleared: true });
      }
      return print(await control.listFaults());
    case "webhook-faults":
      return print(
        await control.setWebhookFaults({
          duplicateRate: num(flags.duplicate),
          dropRate: num(flags.drop),
          duplicateCount: num(flags["duplicate-count"]),
          dropCount: num(flags["drop-count"]),
          reorder: flags.reorder === true || flags.reorder === "true",
          reorderWindow: num(flags.window),
          delayMs: num(flags.delay),
        }),
      );
    case "dispute":
      if (!rest[0] || (rest[1] !== "won" && rest[1] !== "lost")) throw new Error("usage: dispute <du_…> won|lost");
      return print(await control.resolveDispute(rest[0], rest[1]));
    case "3ds":
      if (!rest[0] || (rest[1] !== "complete" && rest[1] !== "fail")) throw new Error("usage: 3ds <pi_…> complete|fail");
      return print(rest[1] === "complete" ? await control.complete3ds(rest[0]) : await control.fail3ds(rest[0]));
    case "payouts":
      if (rest[0] === "run") return print(await control.runPayouts({ failureCode: typeof flags.fail === "string" ? flags.fail : undefined }));
      if (rest[0] === "fail" && rest[1]) return print(await control.failPayout(rest[1], rest[2]));
      throw new Error("usage: payouts run [--fail code] | payouts fail <po_…> [code]");
    case "alter": {
      const kinds = { missing: "missing_balance_transaction", extra: "extra_balance_transaction", "amount-off": "amount_off" } as const;
      const kind = kinds[rest[0] as keyof typeof kinds];
      if (!kind) throw new Error("usage: alter missing|extra|amount-off");
      return print(
        await control.alterSettlement({ kind, balanceTransactionId: typeof flags.bt === "string" ? flags.bt : undefined, amount: num(flags.amount), delta: num(flags.delta) }),
      );
    }
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return;
    default:
      console.error(`Unknown command: ${command}\n`);
      console.log(USAGE);
      process.exitCode = 2;
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
