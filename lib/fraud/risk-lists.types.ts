// Allow/block list API: GET/POST/DELETE /api/v1/risk/lists.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";

export const RISK_LIST_KINDS = ["email", "card_fingerprint", "ip", "country"] as const;

export const ZCreateRiskListEntryRequest = z
  .strictObject({
    list: z.enum(["allow", "block"]),
    kind: z.enum(RISK_LIST_KINDS),
    value: z.string().trim().min(1).max(320),
    note: z.string().max(500).optional(),
  })
  .superRefine((entry, context) => {
    const ok =
      entry.kind === "country" ? /^[A-Za-z]{2}$/.test(entry.value)
      : entry.kind === "email" ? /^[^\s@]+@[^\s@]+$/.test(entry.value) || /^@[^\s@]+$/.test(entry.value)
      : entry.kind === "ip" ? /^[0-9a-fA-F:.]{2,45}$/.test(entry.value)
      : /^[\w.:-]{1,200}$/.test(entry.value);
    if (!ok) context.addIssue({ code: "custom", path: ["value"], message: `not a valid ${entry.kind} (emails may also be a whole domain as "@example.com")` });
  });
export type TCreateRiskListEntryRequest = z.infer<typeof ZCreateRiskListEntryRequest>;

export const ZDeleteRiskListEntryRequest = z.strictObject({ id: z.string().startsWith("rle_").max(100) });

export const ZListRiskListEntriesQuery = ZListQuery.extend({
  list: z.enum(["allow", "block"]).optional(),
  kind: z.enum(RISK_LIST_KINDS).optional(),
});
export type TListRiskListEntriesQuery = z.infer<typeof ZListRiskListEntriesQuery>;

export const ZRiskListEntryDto = z.strictObject({
  id: z.string().startsWith("rle_"),
  object: z.literal("risk_list_entry"),
  list: z.enum(["allow", "block"]),
  kind: z.enum(RISK_LIST_KINDS),
  value: z.string(),
  note: z.string().nullable(),
  created: z.string(),
});
export type TRiskListEntryDto = z.infer<typeof ZRiskListEntryDto>;

/** Values are compared normalised: emails lower case, countries upper case. */
export function normalizeListValue(kind: (typeof RISK_LIST_KINDS)[number], value: string): string {
  const trimmed = value.trim();
  if (kind === "email") return trimmed.toLowerCase();
  if (kind === "country") return trimmed.toUpperCase();
  if (kind === "ip") return trimmed.toLowerCase().replace(/^::ffff:/, "");
  return trimmed;
}
