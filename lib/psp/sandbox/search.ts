// A subset of Stripe's search query language: field:value, field~"sub", >, <, >=, <=, metadata['k']:'v', -negation, AND / OR.
import { paramError } from "./errors.js";

interface Clause {
  negate: boolean;
  field: string;
  metadataKey?: string;
  op: ":" | "~" | ">" | "<" | ">=" | "<=";
  value: string;
}

export interface SearchQuery {
  clauses: Clause[];
  joiner: "AND" | "OR";
}

const CLAUSE = /^(-)?(?:metadata\[(?:'([^']*)'|"([^"]*)")\]|([a-z_.]+))\s*(>=|<=|:|~|>|<)\s*(?:'([^']*)'|"([^"]*)"|([^\s]+))/;

export function parseSearchQuery(query: string, allowedFields: readonly string[]): SearchQuery {
  const clauses: Clause[] = [];
  let joiner: "AND" | "OR" | null = null;
  let rest = query.trim();
  if (!rest) throw paramError("Missing required param: query.", "query", "parameter_missing");
  while (rest.length > 0) {
    const match = CLAUSE.exec(rest);
    if (!match) throw paramError(`Invalid search query: could not parse near '${rest.slice(0, 30)}'.`, "query");
    const field = match[4] ?? "metadata";
    if (field !== "metadata" && !allowedFields.includes(field)) {
      throw paramError(`Field '${field}' is an unsupported search field for this resource.`, "query");
    }
    const value = match[6] ?? match[7] ?? match[8] ?? "";
    const op = match[5] as Clause["op"];
    if (op === "~" && value.length < 3) throw paramError("Substring matches require at least 3 characters.", "query");
    clauses.push({ negate: Boolean(match[1]), field, metadataKey: match[2] ?? match[3], op, value });
    rest = rest.slice(match[0].length).trim();
    const conj = /^(AND|OR)\s+/i.exec(rest);
    if (conj) {
      const word = conj[1].toUpperCase() as "AND" | "OR";
      if (joiner && joiner !== word) throw paramError("Search queries cannot mix AND and OR.", "query");
      joiner = word;
      rest = rest.slice(conj[0].length);
    } else if (rest.length > 0) {
      // Stripe treats whitespace between clauses as AND.
      if (joiner === "OR") throw paramError("Search queries cannot mix AND and OR.", "query");
      joiner = "AND";
    }
  }
  return { clauses, joiner: joiner ?? "AND" };
}

function clauseMatches(object: Record<string, unknown>, clause: Clause): boolean {
  let actual: unknown;
  if (clause.field === "metadata") {
    actual = (object.metadata as Record<string, string> | undefined)?.[clause.metadataKey ?? ""];
  } else {
    actual = clause.field.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), object);
  }
  if (actual !== null && typeof actual === "object" && "id" in (actual as object)) actual = (actual as { id: unknown }).id;
  let result: boolean;
  switch (clause.op) {
    case ":":
      result = actual !== undefined && actual !== null && String(actual).toLowerCase() === clause.value.toLowerCase();
      if (clause.value === "null") result = actual === null || actual === undefined;
      break;
    case "~":
      result = typeof actual === "string" && actual.toLowerCase().includes(clause.value.toLowerCase());
      break;
    default: {
      const a = Number(actual);
      const b = Number(clause.value);
      result =
        clause.op === ">" ? a > b : clause.op === "<" ? a < b : clause.op === ">=" ? a >= b : a <= b;
    }
  }
  return clause.negate ? !result : result;
}

export function matchesSearch(object: Record<string, unknown>, query: SearchQuery): boolean {
  return query.joiner === "AND"
    ? query.clauses.every((c) => clauseMatches(object, c))
    : query.clauses.some((c) => clauseMatches(object, c));
}
