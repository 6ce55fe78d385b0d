// The registry of where personal data lives (personal-data-sources.ts) against the real schema: every
// column whose name looks personal must be registered (encrypted, pseudonymised, or exempt with a reason),
// registered columns must exist, and encrypted/pseudonymised ones must be bytea (never readable text).
import { describe, expect, it } from "vitest";
import { sqlPool } from "@/lib/db/client";
import { PERSONAL_COLUMN_NAME, PERSONAL_DATA_COLUMNS } from "./personal-data-sources";

/** Migration-tool bookkeeping, not application data (as in the PAN scan). */
const IGNORED_TABLES = new Set(["_prisma_migrations"]);

async function columns(): Promise<{ table: string; column: string; dataType: string }[]> {
  const { rows } = await sqlPool().query<{ table_name: string; column_name: string; data_type: string }>(
    `select c.table_name, c.column_name, c.data_type
     from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = 'public' order by 1, 2`,
  );
  return rows.filter((row) => !IGNORED_TABLES.has(row.table_name)).map((row) => ({ table: row.table_name, column: row.column_name, dataType: row.data_type }));
}

const key = (c: { table: string; column: string }) => `${c.table}.${c.column}`;

describe("personal data registry", () => {
  it("registers every column whose name looks personal", async () => {
    const registered = new Set(PERSONAL_DATA_COLUMNS.map(key));
    const unregistered = (await columns()).filter((c) => PERSONAL_COLUMN_NAME.test(c.column) && !registered.has(key(c))).map(key);
    // A failure here: a new column that may hold personal data. Encrypt it (envelope encryption), store a
    // keyed pseudonym, or add it to PERSONAL_DATA_COLUMNS as exempt with the reason.
    expect(unregistered).toEqual([]);
  });

  it("lists only columns that exist, each once, with a reason; protected ones are bytea", async () => {
    const actual = new Map((await columns()).map((c) => [key(c), c.dataType]));
    expect(PERSONAL_DATA_COLUMNS.map(key).filter((name) => !actual.has(name))).toEqual([]);
    expect(new Set(PERSONAL_DATA_COLUMNS.map(key)).size).toBe(PERSONAL_DATA_COLUMNS.length);
    for (const entry of PERSONAL_DATA_COLUMNS) expect(entry.reason.length, key(entry)).toBeGreaterThan(20);
    const protectedText = PERSONAL_DATA_COLUMNS.filter((c) => c.protection === "encrypted" || (c.protection === "pseudonymised" && c.column !== "card_fingerprint"))
      .filter((c) => actual.get(key(c)) !== "bytea")
      .map(key);
    expect(protectedText).toEqual([]);
  });

  it("the name pattern catches the usual spellings and leaves ordinary columns alone", () => {
    for (const name of ["email", "customer_email", "ip", "ip_address", "billing_phone", "full_name", "shipping_address", "user_agent", "date_of_birth"]) {
      expect(PERSONAL_COLUMN_NAME.test(name), name).toBe(true);
    }
    for (const name of ["id", "merchant_id", "filename", "status", "description", "shipping_fee", "zipped", "tipping"]) {
      expect(PERSONAL_COLUMN_NAME.test(name), name).toBe(false);
    }
  });
});
