// Prisma's schema engine (WebAssembly build) driven through the pg driver adapter, so migrations can be
// diffed and applied on machines that cannot download the CLI's native engine. Same migration folders,
// same `_prisma_migrations` bookkeeping as `prisma migrate deploy`.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { createRequire } from "node:module";
import type { MigrationList, SchemaEngine as WasmSchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

export const projectRoot = path.resolve(import.meta.dirname, "../..");
export const schemaDir = path.join(projectRoot, "prisma/schema");
export const migrationsDir = path.join(projectRoot, "prisma/migrations");

export function readSchemaFiles(): { path: string; content: string }[] {
  return readdirSync(schemaDir)
    .filter((name) => name.endsWith(".prisma"))
    .sort()
    .map((name) => ({ path: path.join(schemaDir, name), content: readFileSync(path.join(schemaDir, name), "utf8") }));
}

export function readMigrationsList(): MigrationList {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const directories = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file) ? { tag: "ok", value: readFileSync(file, "utf8") } : { tag: "error", value: "missing migration.sql" },
        },
      };
    }),
  } as MigrationList;
}

const noFilter = { externalTables: [], externalEnums: [] };

/** Runs `fn` with a schema engine connected to `databaseUrl`, and always frees it. */
export async function withSchemaEngine<T>(databaseUrl: string, fn: (engine: WasmSchemaEngine) => Promise<T>): Promise<T> {
  const SchemaEngine = await loadSchemaEngine();
  const factory = bindMigrationAwareSqlAdapterFactory(wholeScriptFactory(new PrismaPg({ connectionString: databaseUrl, max: 2 })));
  const datamodels = readSchemaFiles().map((file) => [file.path, file.content] as [string, string]);
  const logs: string[] = [];
  const engine = await SchemaEngine.new({ datamodels }, (line: string) => logs.push(line), factory);
  try {
    return await fn(engine);
  } catch (error) {
    throw enrichEngineError(error);
  } finally {
    engine.free();
  }
}

const PG_CHAR_OID = 18;
const CHAR_COLUMNS = Symbol("charColumns");
/** ColumnTypeEnum.Character of @prisma/driver-adapter-utils. */
const COLUMN_TYPE_CHARACTER = 6;
const PG_TEXT_OID = 25;
let charPatched = false;

/**
 * The schema engine reads catalog columns of PostgreSQL's one-byte `"char"` type (relkind, contype, …),
 * which the pg driver adapter does not map. They arrive as strings anyway, so present them as text.
 * Only the migration tooling loads this module; the application's client is untouched.
 */
function presentCharColumnsAsText(): void {
  if (charPatched) return;
  charPatched = true;
  const pg = require("pg") as { Result: { prototype: { addFields(fields: { dataTypeID: number }[]): void } } };
  const original = pg.Result.prototype.addFields;
  pg.Result.prototype.addFields = function addFields(fields) {
    const charColumns: boolean[] = [];
    for (const field of fields) {
      charColumns.push(field.dataTypeID === PG_CHAR_OID);
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    // Remembered on the rows array, which the adapter hands back as is: see presentCharColumnsAsCharacter.
    Object.defineProperty((this as unknown as { rows: unknown[] }).rows, CHAR_COLUMNS, { value: charColumns });
    return original.call(this, fields);
  };
}

type ScriptAdapter = {
  executeScript(script: string): Promise<void>;
  queryRaw(query: unknown): Promise<{ columnTypes: number[]; rows: unknown[] }>;
  underlyingDriver(): { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
};

/**
 * The describer reads pg_constraint.contype of CHECK constraints and constraint triggers with a
 * "char" getter, which fails on a Text column (a panic). Report those columns as Character instead.
 */
function presentCharColumnsAsCharacter(target: ScriptAdapter): void {
  const queryRaw = target.queryRaw.bind(target);
  target.queryRaw = async (query: unknown) => {
    const result = await queryRaw(query);
    const charColumns = (result.rows as unknown as { [CHAR_COLUMNS]?: boolean[] })[CHAR_COLUMNS];
    charColumns?.forEach((isChar, index) => {
      if (isChar) result.columnTypes[index] = COLUMN_TYPE_CHARACTER;
    });
    return result;
  };
}

/**
 * The pg adapter runs a migration script by splitting it on every ";" — inside comments, strings and
 * function bodies too — so hand-written triggers would break. Send the script whole instead, as the
 * native engine does: PostgreSQL's simple-query protocol runs it statement by statement, atomically.
 */
function wholeScriptFactory(inner: PrismaPg): PrismaPg {
  const patch = <T>(adapter: T): T => {
    const target = adapter as unknown as ScriptAdapter;
    presentCharColumnsAsCharacter(target);
    target.executeScript = async (script: string) => {
      try {
        await target.underlyingDriver().query(script);
      } catch (error) {
        target.onError(error);
      }
    };
    return adapter;
  };
  const factory = Object.create(inner) as PrismaPg;
  factory.connect = async () => patch(await inner.connect());
  factory.connectToShadowDb = async () => patch(await inner.connectToShadowDb());
  return factory;
}

let lastPanicMessage: string | undefined;
let loaded: Promise<typeof WasmSchemaEngine> | undefined;

/**
 * The package is built for bundlers (`import * as wasm from "./x.wasm"`), which Node cannot import;
 * instantiate the module by hand with the glue file as its import object, as a bundler would.
 */
function loadSchemaEngine(): Promise<typeof WasmSchemaEngine> {
  loaded ??= (async () => {
    presentCharColumnsAsText();
    // The engine reports a Rust panic's message here before it throws.
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        lastPanicMessage = message;
      },
    };
    const packageDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const glue = await import(path.join(packageDir, "schema_engine_bg.js"));
    const bytes = readFileSync(path.join(packageDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return glue.SchemaEngine as typeof WasmSchemaEngine;
  })();
  return loaded;
}

function enrichEngineError(error: unknown): Error {
  if (lastPanicMessage) {
    const panic = new Error(`schema engine panicked: ${lastPanicMessage}`, { cause: error });
    lastPanicMessage = undefined;
    return panic;
  }
  if (error instanceof Error) return error;
  if (typeof error === "object" && error !== null) return new Error(JSON.stringify(error));
  return new Error(String(error));
}

/** Applies every migration folder not yet recorded in `_prisma_migrations`; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withSchemaEngine(databaseUrl, async (engine) => {
    const output = await engine.applyMigrations({ migrationsList: readMigrationsList(), filters: noFilter });
    return output.appliedMigrationNames;
  });
}

/**
 * The wasm engine replays the migrations on the connection it was given (it has no shadow-database URL
 * of its own), so point it at a scratch database on the same server and drop that afterwards.
 */
async function withScratchDatabase<T>(databaseUrl: string, fn: (scratchUrl: string) => Promise<T>): Promise<T> {
  const pg = require("pg") as typeof import("pg");
  const name = `settle_scratch_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
    const scratchUrl = new URL(databaseUrl);
    scratchUrl.pathname = `/${name}`;
    try {
      return await fn(scratchUrl.toString());
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * SQL that would take a database built from the migrations to the current prisma/schema ("" when in sync).
 * The migrations are replayed into a scratch database, which is then diffed against the schema files.
 */
export async function diffMigrationsToSchema(databaseUrl: string): Promise<string> {
  return withScratchDatabase(databaseUrl, async (scratchUrl) => {
    await applyMigrations(scratchUrl);
    return withSchemaEngine(scratchUrl, async (engine) => {
      const result = await engine.diff({
        from: { tag: "schemaDatasource", files: readSchemaFiles(), configDir: projectRoot },
        to: { tag: "schemaDatamodel", files: readSchemaFiles() },
        script: true,
        exitCode: null,
        filters: noFilter,
      });
      const sql = (result.stdout ?? "").trim();
      return sql === "-- This is an empty migration." ? "" : sql;
    });
  });
}
