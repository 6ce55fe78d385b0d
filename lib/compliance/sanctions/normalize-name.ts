// Name normalisation for sanctions matching: fold accents and case, drop punctuation, titles and legal
// forms, and sort tokens so word order does not matter ("PETROV, Ivan" = "Ivan Petrov").

const DROPPED_TOKENS = new Set([
  "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "jr", "sr",
  "ltd", "llc", "inc", "co", "corp", "plc", "gmbh", "ag", "sa", "srl", "bv", "oy", "ab", "the", "limited", "company",
]);

export function nameTokens(name: string): string[] {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/['’`.]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter((token) => token !== "" && !DROPPED_TOKENS.has(token));
}

/** Normalised, token-sorted form: what is stored and compared. */
export function normalizeName(name: string): string {
  return nameTokens(name).sort().join(" ");
}
