// Decodes Stripe-style form bodies and query strings (bracket notation, indexed and `[]` arrays).

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export class FormDecodeError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
  }
}

const MAX_PAIRS = 2000;
const MAX_DEPTH = 8;

function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Splits `a[b][0][]` into ["a", "b", "0", ""]. */
export function parseKeyPath(key: string): string[] {
  const open = key.indexOf("[");
  if (open === -1) return [key];
  const path = [key.slice(0, open)];
  const pattern = /\[([^\]]*)\]/g;
  pattern.lastIndex = open;
  let match: RegExpExecArray | null;
  let consumed = open;
  while ((match = pattern.exec(key)) !== null) {
    if (match.index !== consumed) break;
    path.push(match[1]);
    consumed = pattern.lastIndex;
  }
  if (consumed !== key.length) path.push(key.slice(consumed));
  return path;
}

type Node = { [key: string]: Node | string } | string;

/** Turns objects whose keys are all array markers (numeric or appended) into arrays, ordered by index. */
function finalize(node: Node): FormValue {
  if (typeof node === "string") return node;
  const keys = Object.keys(node);
  const isArray = keys.length > 0 && keys.every((k) => /^\d+$/.test(k) || k.startsWith("\u0000"));
  if (isArray) {
    const sorted = keys.sort((a, b) => sortKey(a) - sortKey(b));
    return sorted.map((k) => finalize(node[k]));
  }
  const out: FormObject = {};
  for (const k of keys) out[k] = finalize(node[k]);
  return out;
}

function sortKey(key: string): number {
  return key.startsWith("\u0000") ? 1e9 + Number(key.slice(1)) : Number(key);
}

export function decodeForm(text: string): FormObject {
  const root: { [key: string]: Node } = {};
  if (!text) return {};
  const pairs = text.split("&");
  if (pairs.length > MAX_PAIRS) throw new FormDecodeError(`Too many parameters (max ${MAX_PAIRS}).`, "");
  let appendCounter = 0;
  for (const pair of pairs) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    const path = parseKeyPath(rawKey);
    if (path.length > MAX_DEPTH) throw new FormDecodeError(`Parameter nested too deeply: ${rawKey}`, rawKey);
    let cursor: { [key: string]: Node } = root;
    for (let i = 0; i < path.length; i++) {
      let segment = path[i];
      if (segment === "" && i > 0) segment = `\u0000${appendCounter++}`;
      const last = i === path.length - 1;
      if (last) {
        const existing = cursor[segment];
        if (existing !== undefined && typeof existing !== "string") {
          throw new FormDecodeError(`Invalid value for ${rawKey}: conflicting nested and scalar values.`, rawKey);
        }
        cursor[segment] = value;
      } else {
        let next = cursor[segment];
        if (next === undefined || next === "") {
          next = {};
          cursor[segment] = next;
        } else if (typeof next === "string") {
          throw new FormDecodeError(`Invalid value for ${rawKey}: conflicting nested and scalar values.`, rawKey);
        }
        cursor = next;
      }
    }
  }
  const out: FormObject = {};
  for (const key of Object.keys(root)) out[key] = finalize(root[key]);
  return out;
}

/** Encodes a nested object the way the stripe SDK does (indexed arrays, bracket keys). */
export function encodeForm(data: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value === undefined) return;
    if (value === null) {
      parts.push(`${prefix}=`);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => walk(`${prefix}[${index}]`, item));
    } else if (typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(prefix ? `${prefix}[${k}]` : k, v);
    } else {
      parts.push(`${prefix}=${encodeURIComponent(String(value))}`);
    }
  };
  walk("", data);
  return parts.join("&").replace(/%5B/g, "[").replace(/%5D/g, "]");
}

/** Canonical, order-insensitive serialisation used to compare idempotent requests. */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalize(obj[k])}`)
    .join(",")}}`;
}
