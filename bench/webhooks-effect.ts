// Experiment: what inline processing of the sandbox's webhooks costs a payment request. Sequential
// payments with webhooks delivered vs dropped at the sandbox, alternating in rounds on one stack.
// Run: npx tsx bench/webhooks-effect.ts [samplesPerRound] — writes bench/results/webhooks-effect.json.
import path from "node:path";
import { SandboxControl } from "@/lib/psp/sandbox/control";
import { benchPaymentsApi, measurePaymentBreakdown, type ApiBenchContext } from "./api";
import { root, startStack, writeJson } from "./lib/stack";

const samples = Number(process.argv[2] ?? 30);
const log = (line: string) => console.log(`[webhooks-effect] ${line}`);
const stack = await startStack({ label: "bench-webhooks-effect", log });
try {
  const setup = await stack.setup<{ merchantId: string; secret: string }>({ apiKey: { merchantId: "demo" } });
  const context: ApiBenchContext = { stack, secret: setup.secret, merchantId: setup.merchantId, wallets: [], durationS: 5, connections: 8, log };
  await benchPaymentsApi({ ...context, durationS: 3 });
  const rounds = [];
  for (let round = 0; round < 2; round++) rounds.push(await measurePaymentBreakdown(context, samples));
  const control = new SandboxControl(stack.pspUrl);
  const concurrent: Record<string, unknown> = {};
  for (const [name, faults] of [["webhooks on", {}], ["webhooks dropped", { dropRate: 1 }], ["webhooks on (again)", {}]] as const) {
    await control.setWebhookFaults(faults);
    const result = await benchPaymentsApi({ ...context, durationS: 15, connections: 16 });
    concurrent[name] = { perSecond: result.perSecond, p50Ms: result.p50Ms, p99Ms: result.p99Ms, errors: result.errors };
    log(`${name}: ${result.perSecond} req/s p50 ${result.p50Ms} ms`);
  }
  await control.setWebhookFaults({});
  const summary = rounds.map((r) => ({ with: { total: r.total.meanMs, pspAndApply: r.pspAndApply.meanMs, finish: r.finish.meanMs }, without: r.withoutWebhooks && { total: r.withoutWebhooks.total.meanMs, pspAndApply: r.withoutWebhooks.pspAndApply.meanMs, finish: r.withoutWebhooks.finish.meanMs } }));
  log(JSON.stringify(summary));
  writeJson(path.join(root, "bench/results/webhooks-effect.json"), { samples, rounds, summary, concurrent });
} finally {
  await stack.stop();
}
process.exit(0);
