// Loads a sanctions list the operator provides. CSV with a header line:
//   list_id,entry_ref,name,type          e.g. SAMPLE-SDN,1001,"MOROZKO, Viktor Aleksandrovich",individual
// Fields may be double-quoted (with "" for a quote). Lines starting with '#' are ignored. The file is
// validated first; then, in one transaction, each list_id it names is replaced by the file's entries.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { normalizeName } from "./normalize-name";

export const SANCTIONS_IMPORT_ROWS_MAX = 200_000;
const HEADER = ["list_id", "entry_ref", "name", "type"] as const;
const ENTITY_TYPES = new Set(["individual", "entity", "vessel", "aircraft"]);

export type SanctionsRow = { listId: string; entryRef: string; listedName: string; normalizedName: string; entityType: string };

/** Splits one CSV line, honouring double quotes. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      cells.push(current);
      current = "";
    } else current += char;
  }
  if (quoted) throw new Error("unterminated quote");
  cells.push(current);
  return cells.map((cell) => cell.trim());
}

export function parseSanctionsCsv(text: string): SanctionsRow[] {
  const lines = text.split(/\r?\n/).map((line, index) => ({ line: line.trim(), number: index + 1 })).filter(({ line }) => line !== "" && !line.startsWith("#"));
  const [header, ...data] = lines;
  if (!header || header.line.toLowerCase().replace(/\s/g, "") !== HEADER.join(",")) {
    throw new AppError("parameter_invalid", `The sanctions file must start with the header line "${HEADER.join(",")}".`);
  }
  if (data.length > SANCTIONS_IMPORT_ROWS_MAX) throw new AppError("parameter_invalid", `At most ${SANCTIONS_IMPORT_ROWS_MAX} entries per file.`);
  return data.map(({ line, number }) => {
    const fail = (why: string) => new AppError("parameter_invalid", `Sanctions line ${number}: ${why}`);
    let cells: string[];
    try {
      cells = splitCsvLine(line);
    } catch (error) {
      throw fail((error as Error).message);
    }
    if (cells.length !== HEADER.length) throw fail(`expected ${HEADER.length} values, found ${cells.length}`);
    const [listId, entryRef, listedName, type] = cells as [string, string, string, string];
    if (!/^[\w.:-]{1,100}$/.test(listId)) throw fail(`list_id '${listId}' must be 1-100 letters, digits, '.', ':', '_' or '-'`);
    if (entryRef === "" || entryRef.length > 100) throw fail("entry_ref must be 1-100 characters");
    if (listedName === "" || listedName.length > 500) throw fail("name must be 1-500 characters");
    const normalizedName = normalizeName(listedName);
    if (normalizedName === "") throw fail(`name '${listedName}' has no letters or digits`);
    const entityType = type.toLowerCase();
    if (!ENTITY_TYPES.has(entityType)) throw fail(`type '${type}' must be one of ${[...ENTITY_TYPES].join(", ")}`);
    return { listId, entryRef, listedName, normalizedName, entityType };
  });
}

export async function importSanctionsCsv(text: string): Promise<{ imported: number; lists: string[] }> {
  const rows = parseSanctionsCsv(text);
  const lists = [...new Set(rows.map((row) => row.listId))];
  await db().$transaction(async (tx) => {
    await tx.sanctionsEntry.deleteMany({ where: { listId: { in: lists } } });
    const BATCH_SIZE = 1_000;
    for (let start = 0; start < rows.length; start += BATCH_SIZE) await tx.sanctionsEntry.createMany({ data: rows.slice(start, start + BATCH_SIZE) });
  }, { timeout: 120_000 });
  return { imported: rows.length, lists };
}
