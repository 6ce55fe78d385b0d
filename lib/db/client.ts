// The application's Prisma client (pg driver adapter, no engine binary) and a raw pg pool for the
// places where SQL is the right tool (ledger locking, bulk reconciliation). One of each per process.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

type Handles = { prisma: PrismaClient; pool: pg.Pool };
const globalForDb = globalThis as unknown as { __settleDb?: Handles };

// On the raw pool, BIGINT columns come back as JS bigint, never as a lossy number. (Set per pool, not
// globally: the Prisma adapter parses INT8 itself and must receive the text form.)
const rawPoolTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.INT8) return (value: string) => BigInt(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function create(): Handles {
  const env = getEnv();
  const poolConfig = {
    connectionString: env.DATABASE_URL,
    max: env.DATABASE_POOL_MAX,
    statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
    // Client-side too: on a half-open connection (no RST) the server's timeout never fires.
    query_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS + 5_000,
    // A transaction left open by a crashed request must not hold locks for long.
    options: "-c idle_in_transaction_session_timeout=60000",
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  };
  const prisma = new PrismaClient({ adapter: new PrismaPg(poolConfig) });
  const pool = new pg.Pool({ ...poolConfig, types: rawPoolTypes });
  pool.on("error", () => {
    // An idle client lost its connection (database restart); the pool replaces it on next use.
  });
  return { prisma, pool };
}

function handles(): Handles {
  globalForDb.__settleDb ??= create();
  return globalForDb.__settleDb;
}

export function db(): PrismaClient {
  return handles().prisma;
}

export function sqlPool(): pg.Pool {
  return handles().pool;
}

export async function closeDb(): Promise<void> {
  const current = globalForDb.__settleDb;
  globalForDb.__settleDb = undefined;
  if (current) await Promise.allSettled([current.prisma.$disconnect(), current.pool.end()]);
}
