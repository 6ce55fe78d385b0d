// Runs the PSP sandbox standalone (a separate process from the app, so it reads its own environment).
import { startPspSandbox } from "../lib/psp/sandbox/server.ts";

const DEFAULT_PORT = 12111;
const DEFAULT_WEBHOOK_URL = "http://127.0.0.1:3000/api/webhooks/stripe";
const DEFAULT_WEBHOOK_SECRET = "whsec_settle_sandbox_secret";

async function main(): Promise<void> {
  const port = Number(process.env.PSP_SANDBOX_PORT ?? DEFAULT_PORT);
  const dataDir = process.env.PSP_SANDBOX_DATA_DIR ?? ".data/psp";
  const webhookUrl = process.env.PSP_WEBHOOK_URL ?? DEFAULT_WEBHOOK_URL;
  const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? DEFAULT_WEBHOOK_SECRET;
  const settlementCurrency = process.env.PSP_SANDBOX_SETTLEMENT_CURRENCY ?? "usd";
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid PSP_SANDBOX_PORT: ${process.env.PSP_SANDBOX_PORT}`);

  const sandbox = await startPspSandbox({
    port,
    dataDir: dataDir === "" || dataDir === "memory" ? undefined : dataDir,
    webhookTargets: webhookUrl ? [{ url: webhookUrl, secret: webhookSecret }] : [],
    settlementCurrency,
  });
  console.log(`[psp-sandbox] listening on ${sandbox.url} (data: ${dataDir || "memory"}, webhooks → ${webhookUrl || "none"})`);
  console.log(`[psp-sandbox] Stripe.js shim: ${sandbox.url}/js/stripe.js   control plane: ${sandbox.url}/_sandbox/state`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[psp-sandbox] ${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    await sandbox.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error("[psp-sandbox] failed to start:", error);
  process.exit(1);
});
