// Runs the ledger or reconciliation benchmark (owned by those engineers) in a process of its own: they
// load the app's modules, which read DATABASE_URL once and keep pools. Usage: child-bench.ts <kind> '<json>' <out.json>
import { writeFileSync } from "node:fs";

const [kind, json, out] = process.argv.slice(2);
const options = JSON.parse(json ?? "{}") as Record<string, unknown>;
const log = (line: string) => console.error(`[${kind}] ${line}`);
let result: unknown;
if (kind === "ledger") {
  const { benchLedger } = await import("../ledger");
  result = await benchLedger({ ...options, log });
} else if (kind === "reconciliation") {
  const { benchReconciliation } = await import("../reconciliation");
  result = await benchReconciliation({ rows: Number(options.rows), adminUrl: String(options.adminUrl), log });
} else {
  throw new Error(`unknown bench ${kind}`);
}
writeFileSync(out!, JSON.stringify(result, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2));
process.exit(0);
