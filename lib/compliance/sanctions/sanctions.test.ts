import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseSanctionsCsv, splitCsvLine } from "./import-sanctions-csv";
import { jaro, jaroWinkler } from "./jaro-winkler";
import { matchName, nameSimilarity } from "./match-name";
import { normalizeName } from "./normalize-name";

const sample = parseSanctionsCsv(readFileSync(path.resolve(import.meta.dirname, "../../../data/sanctions-sample.csv"), "utf8"));
const screen = (name: string) => matchName(normalizeName(name), sample);

describe("normalisation", () => {
  it("folds case, accents, punctuation, titles and legal forms, and sorts tokens", () => {
    expect(normalizeName("MOROZKO, Viktor Aleksandrovich")).toBe("aleksandrovich morozko viktor");
    expect(normalizeName("Mr. Viktor  Aleksandrovich Morozko")).toBe("aleksandrovich morozko viktor");
    expect(normalizeName("Dragomir Vukašinović")).toBe("dragomir vukasinovic");
    expect(normalizeName("Blackwater Hollow Trading, L.L.C.")).toBe("blackwater hollow trading");
    expect(normalizeName("Golden Lattice Exchange GmbH")).toBe("exchange golden lattice");
    expect(normalizeName("  ...  ")).toBe("");
  });
});

describe("Jaro-Winkler", () => {
  it("matches the textbook values", () => {
    expect(jaro("martha", "marhta")).toBeCloseTo(0.9444, 4);
    expect(jaroWinkler("martha", "marhta")).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler("dwayne", "duane")).toBeCloseTo(0.84, 2);
    expect(jaroWinkler("abc", "abc")).toBe(1);
    expect(jaroWinkler("abc", "xyz")).toBe(0);
    expect(jaroWinkler("", "abc")).toBe(0);
  });
});

describe("fuzzy screening against the sample list", () => {
  it("hits exact, reordered, accent-free and lightly misspelt names", () => {
    expect(screen("Viktor Aleksandrovich Morozko")[0]).toMatchObject({ listedName: "MOROZKO, Viktor Aleksandrovich", listId: "SAMPLE-SDN", score: 1 });
    expect(screen("Dragomir Vukasinovic")[0]!.listedName).toBe("Dragomir Vukašinović");
    expect(screen("Viktor Aleksandrovitch Morozco")[0]!.listedName).toBe("MOROZKO, Viktor Aleksandrovich");
    expect(screen("Oksana Zheleznyak")[0]!.score).toBe(1);
    expect(screen("Desmond Vanterpool")[0]!.listedName).toBe("VANTERPOOL, Desmond Oluwaseun"); // middle name omitted
    expect(screen("Blackwater Hollow Trading Ltd")[0]!.listedName).toBe("BLACKWATER HOLLOW TRADING LLC");
    // Part of a longer listed name is flagged for a human to look at, a little below a full match.
    expect(screen("Jose Rivera")[0]).toMatchObject({ listedName: "RIVERA MONTALBAN, Jose Ignacio", score: 0.97 });
  });

  it("does not hit near-misses: different people sharing a first name or a surname-like string", () => {
    expect(screen("Viktor Petrov")).toEqual([]);
    expect(screen("Oksana")).toEqual([]);
    expect(screen("Samir Khan")).toEqual([]);
    expect(screen("Ambrose Quill")).toEqual([]); // 0.913, just under the 0.92 threshold
    expect(screen("Golden Gate Exchange")).toEqual([]);
    expect(screen("Jane Smith")).toEqual([]);
  });

  it("scores are symmetric and bounded", () => {
    const a = normalizeName("Henrike Solvberg");
    const b = normalizeName("Henrike Sølvberg");
    expect(nameSimilarity(a, b)).toBe(nameSimilarity(b, a));
    expect(nameSimilarity(a, b)).toBeLessThanOrEqual(1);
    expect(nameSimilarity("", b)).toBe(0);
  });
});

describe("sanctions CSV", () => {
  it("parses quoted fields with commas and doubled quotes", () => {
    expect(splitCsvLine('L,1,"DOE, ""Johnny"" John",individual')).toEqual(["L", "1", 'DOE, "Johnny" John', "individual"]);
    expect(() => splitCsvLine('L,1,"unterminated,individual')).toThrow(/unterminated/);
  });
  it("loads the sample and rejects bad files with the line number", () => {
    expect(sample).toHaveLength(15);
    expect(() => parseSanctionsCsv("name,list\nx,y")).toThrow(/header/);
    expect(() => parseSanctionsCsv("list_id,entry_ref,name,type\nL,1,Somebody,planet")).toThrow(/line 2: type 'planet'/);
    expect(() => parseSanctionsCsv("list_id,entry_ref,name,type\nL,1,!!!,individual")).toThrow(/no letters/);
  });
});
