// Fuzzy name matching: the better of (a) Jaro-Winkler on the token-sorted names and (b) a token-set score
// where each token of the shorter name is paired with its best match in the longer one (so a missing
// middle name still matches). Single-token names only use (a), so "Ivan" does not match every Ivan.
import { jaroWinkler } from "./jaro-winkler";

export const DEFAULT_MATCH_THRESHOLD = 0.92;

export type ListedName = { listId: string; entryRef: string; listedName: string; normalizedName: string };
export type NameMatch = { listedName: string; score: number; listId: string; entryRef: string };

export function nameSimilarity(normalizedA: string, normalizedB: string): number {
  if (normalizedA === "" || normalizedB === "") return 0;
  const whole = jaroWinkler(normalizedA, normalizedB);
  const a = normalizedA.split(" ");
  const b = normalizedB.split(" ");
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length < 2) return whole;
  const used = new Set<number>();
  let total = 0;
  for (const token of shorter) {
    let best = 0;
    let bestIndex = -1;
    longer.forEach((candidate, index) => {
      if (used.has(index)) return;
      const score = jaroWinkler(token, candidate);
      if (score > best) {
        best = score;
        bestIndex = index;
      }
    });
    if (bestIndex >= 0) used.add(bestIndex);
    total += best;
  }
  // A partial (subset) match is a little less certain than a full one.
  const tokenSet = (total / shorter.length) * (shorter.length === longer.length ? 1 : 0.97);
  return Math.max(whole, tokenSet);
}

export function matchName(normalizedQuery: string, entries: readonly ListedName[], threshold = DEFAULT_MATCH_THRESHOLD, limit = 10): NameMatch[] {
  const matches: NameMatch[] = [];
  for (const entry of entries) {
    const score = nameSimilarity(normalizedQuery, entry.normalizedName);
    if (score >= threshold) matches.push({ listedName: entry.listedName, score: Number(score.toFixed(4)), listId: entry.listId, entryRef: entry.entryRef });
  }
  return matches.sort((x, y) => y.score - x.score).slice(0, limit);
}
