// Typed readers over decoded form parameters, raising Stripe's parameter errors.
import type { FormObject, FormValue } from "./form.js";
import { paramError } from "./errors.js";

export type Params = FormObject;

export function assertKnown(params: Params, allowed: readonly string[], prefix = ""): void {
  for (const key of Object.keys(params)) {
    if (key === "expand" || key === "key" || key === "_stripe_version") continue;
    if (!allowed.includes(key)) {
      const name = prefix ? `${prefix}[${key}]` : key;
      throw paramError(`Received unknown parameter: ${name}`, name, "parameter_unknown");
    }
  }
}

export function readString(params: Params, name: string, options: { required?: boolean; max?: number } = {}): string | undefined {
  const value = params[name];
  if (value === undefined) {
    if (options.required) throw paramError(`Missing required param: ${name}.`, name, "parameter_missing");
    return undefined;
  }
  if (typeof value !== "string") throw paramError(`Invalid string: ${name} must be a string.`, name);
  if (options.max !== undefined && value.length > options.max) {
    throw paramError(`Invalid string: ${name} must be at most ${options.max} characters.`, name);
  }
  return value;
}

/** `""` means "unset" (Stripe's Emptyable params); returns null then. */
export function readNullableString(params: Params, name: string, max = 5000): string | null | undefined {
  const value = readString(params, name, { max });
  if (value === undefined) return undefined;
  return value === "" ? null : value;
}

export function readInteger(params: Params, name: string, options: { required?: boolean; min?: number } = {}): number | undefined {
  const value = params[name];
  if (value === undefined || value === "") {
    if (options.required) throw paramError(`Missing required param: ${name}.`, name, "parameter_missing");
    return undefined;
  }
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) {
    throw paramError(`Invalid integer: ${typeof value === "string" ? value : "object"}`, name, "parameter_invalid_integer");
  }
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw paramError(`Invalid integer: ${value}`, name, "parameter_invalid_integer");
  if (options.min !== undefined && parsed < options.min) {
    throw paramError(`Invalid ${name}: must be greater than or equal to ${options.min}`, name);
  }
  return parsed;
}

export function readBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === "") return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw paramError(`Invalid boolean: ${typeof value === "string" ? value : "object"}`, name);
}

export function readEnum<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = readString(params, name);
  if (value === undefined || value === "") return undefined;
  if (!values.includes(value as T)) {
    throw paramError(`Invalid ${name}: must be one of ${values.slice(0, -1).join(", ")}, or ${values[values.length - 1]}`, name);
  }
  return value as T;
}

export function readObject(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw paramError(`Invalid object: ${name}`, name);
  return value as Params;
}

export function readStringArray(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === "") return undefined;
  const list: FormValue[] = Array.isArray(value) ? value : typeof value === "object" ? Object.values(value) : [value];
  return list.map((item, index) => {
    if (typeof item !== "string") throw paramError(`Invalid array: ${name}[${index}]`, `${name}[${index}]`);
    return item;
  });
}

export function readExpand(params: Params): string[] {
  return readStringArray(params, "expand") ?? [];
}

const METADATA_MAX_KEYS = 50;

/** Applies a metadata update with Stripe's merge semantics (`key=` deletes, `metadata=` clears). */
export function applyMetadata(current: Record<string, string>, params: Params, name = "metadata"): Record<string, string> {
  const value = params[name];
  if (value === undefined) return current;
  if (value === "") return {};
  if (typeof value !== "object" || Array.isArray(value)) throw paramError(`Invalid object: ${name}`, name);
  const next = { ...current };
  for (const [key, entry] of Object.entries(value)) {
    const param = `${name}[${key}]`;
    if (typeof entry !== "string") throw paramError(`Invalid value for ${param}: must be a string.`, param);
    if (key.length > 40) throw paramError(`Metadata keys can have a maximum length of 40 characters.`, param);
    if (entry.length > 500) throw paramError(`Metadata values can have a maximum length of 500 characters.`, param);
    if (entry === "") delete next[key];
    else next[key] = entry;
  }
  if (Object.keys(next).length > METADATA_MAX_KEYS) {
    throw paramError(`Metadata can have a maximum of ${METADATA_MAX_KEYS} keys.`, name);
  }
  return next;
}

export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export function readRange(params: Params, name: string): RangeFilter | undefined {
  const value = params[name];
  if (value === undefined || value === "") return undefined;
  if (typeof value === "string") {
    const exact = readInteger(params, name) as number;
    return { gte: exact, lte: exact };
  }
  if (typeof value !== "object" || Array.isArray(value)) throw paramError(`Invalid ${name}`, name);
  assertKnown(value, ["gt", "gte", "lt", "lte"], name);
  const range: RangeFilter = {};
  for (const op of ["gt", "gte", "lt", "lte"] as const) {
    const parsed = readInteger(value, op);
    if (parsed !== undefined) range[op] = parsed;
  }
  return range;
}

export function inRange(value: number, range: RangeFilter | undefined): boolean {
  if (!range) return true;
  if (range.gt !== undefined && !(value > range.gt)) return false;
  if (range.gte !== undefined && !(value >= range.gte)) return false;
  if (range.lt !== undefined && !(value < range.lt)) return false;
  if (range.lte !== undefined && !(value <= range.lte)) return false;
  return true;
}
