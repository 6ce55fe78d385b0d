// PCI DSS scope check: looks for card numbers (Luhn-valid runs of 13–19 digits) in every text, varchar,
// char, json and jsonb column (and arrays of them) of every table in the public schema, and in given
// log files. Streams with a server-side cursor in batches, so it runs on a database of any size.
// Hits are reported masked (first 6 / last 4 digits): the report must not itself become a PAN store.
//
// The one ignore rule, deliberately narrow: digits that lie entirely inside one of Settle's own object
// ids (`<prefix>_` + exactly 26 Crockford base32 characters, lib/ids.ts) are not a PAN — the id is random
// base32 and the digits are an accident of encoding. Anything else is a hit. If a hit is a false
// positive (say, a millisecond timestamp stored as text), fix the code that stores it, not this rule.
// Out of scope: `_prisma_migrations`, the migration tool's bookkeeping (folder names that start with a
// 14-digit timestamp, and hex checksums); its content is the migrations folder under version control.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type pg from "pg";
import { sqlPool } from "@/lib/db/client";
import { ID_PREFIXES } from "@/lib/ids";
import { findCardNumbers } from "@/lib/log/redact";

export type CardNumberHit =
  | { source: "database"; table: string; column: string; rowKey: string; masked: string }
  | { source: "file"; path: string; line: number; masked: string };

export type CardNumberScan = { hits: CardNumberHit[]; tablesScanned: number; columnsScanned: number; rowsScanned: number; filesScanned: number };

const BATCH_SIZE_MAX = 10_000;
const HITS_MAX = 1_000;

const OWN_ID = new RegExp(`\\b(?:${Object.values(ID_PREFIXES).join("|")})_[0-9a-hjkmnp-tv-z]{26}\\b`, "g");

function mask(run: string): string {
  const digits = run.replace(/\D/g, "");
  return `${digits.slice(0, 6)}${"•".repeat(digits.length - 10)}${digits.slice(-4)}`;
}

/** Card-number-like runs in `text`, masked, after removing our own ids (the one ignore rule). */
export function findCardNumbersOutsideOwnIds(text: string): string[] {
  const withoutIds = text.replace(OWN_ID, (id) => "_".repeat(id.length));
  return findCardNumbers(withoutIds).map(mask);
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

type TextColumns = { table: string; columns: string[]; key: string[] };

async function textColumns(client: pg.ClientBase): Promise<TextColumns[]> {
  const { rows } = await client.query<{ table_name: string; columns: string[]; key: string[] | null }>(`
    select c.table_name,
           array_agg(c.column_name::text order by c.ordinal_position) as columns,
           (select array_agg(a.attname::text order by a.attnum)
              from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
             where i.indrelid = format('public.%I', c.table_name)::regclass and i.indisprimary) as key
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
     where c.table_schema = 'public' and c.table_name <> '_prisma_migrations'
       and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
            or (c.data_type = 'ARRAY' and c.udt_name in ('_text', '_varchar', '_bpchar', '_json', '_jsonb')))
     group by c.table_name
     order by c.table_name`);
  return rows.map((row) => ({ table: row.table_name, columns: row.columns, key: row.key ?? [] }));
}

async function scanTable(client: pg.ClientBase, target: TextColumns, batchSize: number, hits: CardNumberHit[]): Promise<number> {
  const keyExpr = target.key.length > 0 ? target.key.map((k) => `${quote(k)}::text`).join(` || '/' || `) : "ctid::text";
  const selects = target.columns.map((column, i) => `${quote(column)}::text as c${i}`).join(", ");
  const cursor = `scan_${Math.random().toString(36).slice(2)}`;
  await client.query(`declare ${cursor} no scroll cursor for select ${keyExpr} as row_key, ${selects} from public.${quote(target.table)}`);
  let rowsScanned = 0;
  for (;;) {
    const { rows } = await client.query<Record<string, string | null>>(`fetch ${batchSize} from ${cursor}`);
    for (const row of rows) {
      target.columns.forEach((column, i) => {
        const value = row[`c${i}`];
        if (!value || hits.length >= HITS_MAX) return;
        for (const masked of findCardNumbersOutsideOwnIds(value)) hits.push({ source: "database", table: target.table, column, rowKey: row.row_key ?? "", masked });
      });
    }
    rowsScanned += rows.length;
    if (rows.length < batchSize) break;
  }
  await client.query(`close ${cursor}`);
  return rowsScanned;
}

async function scanFile(path: string, hits: CardNumberHit[]): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (hits.length >= HITS_MAX) break;
    for (const masked of findCardNumbersOutsideOwnIds(line)) hits.push({ source: "file", path, line: number, masked });
  }
}

/** Scans the database (one consistent snapshot, read-only) and the given log files. */
export async function scanForCardNumbers(options: { logFiles?: string[]; batchSize?: number; database?: boolean } = {}): Promise<CardNumberScan> {
  const batchSize = Math.min(Math.max(options.batchSize ?? 1_000, 1), BATCH_SIZE_MAX);
  const hits: CardNumberHit[] = [];
  const result: CardNumberScan = { hits, tablesScanned: 0, columnsScanned: 0, rowsScanned: 0, filesScanned: 0 };
  if (options.database !== false) {
    const client = await sqlPool().connect();
    try {
      await client.query("begin isolation level repeatable read read only");
      for (const target of await textColumns(client)) {
        result.rowsScanned += await scanTable(client, target, batchSize, hits);
        result.tablesScanned++;
        result.columnsScanned += target.columns.length;
      }
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  for (const path of options.logFiles ?? []) {
    await scanFile(path, hits);
    result.filesScanned++;
  }
  return result;
}
