// Screens a name against every loaded sanctions list. Entries are cached per process and reloaded when
// the table changes (count and newest import time), so an import takes effect on the next call.
import { db } from "@/lib/db/client";
import { DEFAULT_MATCH_THRESHOLD, matchName, type ListedName, type NameMatch } from "./match-name";
import { normalizeName } from "./normalize-name";

export type ScreenResult = { hit: boolean; matches: NameMatch[] };

let cache: { key: string; entries: ListedName[] } | undefined;

async function loadEntries(): Promise<ListedName[]> {
  const stats = await db().sanctionsEntry.aggregate({ _count: { _all: true }, _max: { importedAt: true, id: true } });
  const key = `${stats._count._all}:${stats._max.importedAt?.getTime() ?? 0}:${stats._max.id ?? 0}`;
  if (cache?.key === key) return cache.entries;
  const entries = await db().sanctionsEntry.findMany({ select: { listId: true, entryRef: true, listedName: true, normalizedName: true } });
  cache = { key, entries };
  return entries;
}

export async function screenName(name: string, options: { threshold?: number } = {}): Promise<ScreenResult> {
  const normalized = normalizeName(name);
  if (normalized === "") return { hit: false, matches: [] };
  const matches = matchName(normalized, await loadEntries(), options.threshold ?? DEFAULT_MATCH_THRESHOLD);
  return { hit: matches.length > 0, matches };
}
