// npm run cli -- <command> — what an operator scripts. Uses DATABASE_URL, or the embedded database.
import { parseArgs } from "node:util";
import { dataDir, openDatabase } from "./lib/database";
import { loadOrCreateSecrets } from "./lib/secrets";
import { ensurePrismaClient } from "./lib/prepare";
import path from "node:path";

const HELP = `Settle operator CLI

  npm run cli -- merchant:create --name "Shop" [--country US] [--currency USD]
  npm run cli -- user:create --merchant mer_… --email a@b.c --name "Ann" --role owner|admin|staff|viewer [--password …]
  npm run cli -- key:create --merchant mer_… --name "Server" [--restricted --scopes payments=write,refunds=read]
  npm run cli -- key:revoke --merchant mer_… --key key_…
  npm run cli -- migrate
  npm run cli -- config
  npm run cli -- fx:import [--file data/fx-rates.csv]          reference FX rates (CSV)
  npm run cli -- sanctions:import --file list.csv             sanctions list for screening
  npm run cli -- audit:seal [--merchant mer_…]                chain unsealed audit rows now
  npm run cli -- audit:verify --merchant mer_…                recompute the hash chain; first broken link
  npm run cli -- kek:rotate                                   re-wrap data keys under the current KEK
  npm run cli -- pan:scan [--file app.log …]                  look for card numbers in the database and logs
  npm run cli -- customers:erase-inactive                     crypto-shred customers past the retention period
`;

const [command, ...rest] = process.argv.slice(2);
if (!command || command === "help" || command === "--help") {
  console.log(HELP);
  process.exit(0);
}

const { values } = parseArgs({
  args: rest,
  options: {
    name: { type: "string" }, country: { type: "string" }, currency: { type: "string" },
    merchant: { type: "string" }, email: { type: "string" }, role: { type: "string" }, password: { type: "string" },
    restricted: { type: "boolean" }, scopes: { type: "string" }, key: { type: "string" },
    file: { type: "string", multiple: true },
  },
  strict: true,
});

function required(name: keyof typeof values): string {
  const value = values[name];
  if (typeof value !== "string" || !value) {
    console.error(`--${name} is required.\n\n${HELP}`);
    process.exit(2);
  }
  return value;
}

const operator = { type: "system", id: "cli" } as const;
ensurePrismaClient(path.resolve(import.meta.dirname, ".."));
const database = await openDatabase();
process.env.DATABASE_URL = database.url;
for (const [name, value] of Object.entries(loadOrCreateSecrets(dataDir))) process.env[name] ??= value;
let exitCode = 0;
try {
  switch (command) {
    case "merchant:create": {
      const { createMerchant } = await import("../lib/tenancy/manage-tenancy");
      const merchant = await createMerchant({ name: required("name"), country: values.country, defaultCurrency: values.currency, actor: operator });
      console.log(JSON.stringify(merchant, null, 2));
      break;
    }
    case "user:create": {
      const { createUser } = await import("../lib/tenancy/manage-tenancy");
      const { ROLES } = await import("../lib/auth/roles");
      const role = required("role");
      if (!(ROLES as readonly string[]).includes(role)) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
      const result = await createUser({
        merchantId: required("merchant"), email: required("email"), name: required("name"),
        role: role as (typeof ROLES)[number], password: values.password, actor: operator,
      });
      console.log(JSON.stringify(result.user, null, 2));
      if (!values.password) console.log(`One-time password (shown once): ${result.password}`);
      break;
    }
    case "key:create": {
      const { createApiKey } = await import("../lib/auth/api-keys");
      const scopes = values.scopes
        ? Object.fromEntries(values.scopes.split(",").map((pair) => pair.split("=") as [string, string]))
        : undefined;
      const result = await createApiKey({
        merchantId: required("merchant"), name: required("name"), kind: values.restricted ? "restricted" : "secret",
        scopes: scopes as never, actor: operator,
      });
      console.log(JSON.stringify(result.apiKey, null, 2));
      console.log(`Secret (shown once, store it now): ${result.secret}`);
      break;
    }
    case "key:revoke": {
      const { revokeApiKey } = await import("../lib/auth/api-keys");
      console.log(JSON.stringify(await revokeApiKey({ merchantId: required("merchant"), apiKeyId: required("key"), actor: operator }), null, 2));
      break;
    }
    case "migrate": {
      const { applyMigrations } = await import("../lib/db/schema-engine");
      const applied = await applyMigrations(database.url);
      console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
      break;
    }
    case "fx:import": {
      const { readFileSync } = await import("node:fs");
      const { importFxRatesCsv } = await import("../lib/fx/import-fx-rates-csv");
      const file = values.file?.[0] ?? path.resolve(import.meta.dirname, "../data/fx-rates.csv");
      console.log(JSON.stringify(await importFxRatesCsv(readFileSync(file, "utf8"))));
      break;
    }
    case "sanctions:import": {
      const { readFileSync } = await import("node:fs");
      const { importSanctionsCsv } = await import("../lib/compliance/sanctions/import-sanctions-csv");
      const file = values.file?.[0] ?? path.resolve(import.meta.dirname, "../data/sanctions-sample.csv");
      console.log(JSON.stringify(await importSanctionsCsv(readFileSync(file, "utf8"))));
      break;
    }
    case "audit:seal": {
      const { sealAuditChain } = await import("../lib/compliance/seal-audit-chain");
      console.log(JSON.stringify(await sealAuditChain({ merchantId: values.merchant }), (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
      break;
    }
    case "audit:verify": {
      const { sealAuditChain } = await import("../lib/compliance/seal-audit-chain");
      const { checkpointAuditChain } = await import("../lib/compliance/audit-chain-checkpoint");
      await sealAuditChain({ merchantId: required("merchant") });
      const result = await checkpointAuditChain(required("merchant"), { full: true });
      console.log(JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
      if (!result.ok) exitCode = 1;
      break;
    }
    case "kek:rotate": {
      const { rotateKek } = await import("../lib/compliance/encryption/rotate-kek");
      console.log(JSON.stringify(await rotateKek(), (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
      break;
    }
    case "pan:scan": {
      const { scanForCardNumbers } = await import("../lib/compliance/scan-for-card-numbers");
      const result = await scanForCardNumbers({ logFiles: values.file ?? [] });
      console.log(JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
      if (result.hits.length) exitCode = 1;
      break;
    }
    case "customers:erase-inactive": {
      const { eraseInactiveCustomers } = await import("../lib/customers/erase-customer");
      console.log(JSON.stringify(await eraseInactiveCustomers(), (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2));
      break;
    }
    case "config": {
      const { getEnv, describeEnv } = await import("../lib/env");
      console.log(JSON.stringify(describeEnv(getEnv()), null, 2));
      break;
    }
    default:
      console.error(`Unknown command: ${command}\n\n${HELP}`);
      exitCode = 2;
  }
} catch (error) {
  console.error(`Error: ${(error as Error).message}`);
  exitCode = 1;
} finally {
  const { closeDb } = await import("../lib/db/client");
  await closeDb();
  await database.stop();
}
process.exit(exitCode);
