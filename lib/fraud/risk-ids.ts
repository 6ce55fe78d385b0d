// Ids for risk objects: reviews (rev_), list entries (rle_) and assessments (ra_). Same time-ordered
// format as lib/ids.ts; these prefixes are not in its ID_PREFIXES table (owned by another area), so the
// generated request id's prefix is swapped. Move them into lib/ids.ts when convenient.
import { newId } from "@/lib/ids";

export type RiskIdPrefix = "rev" | "rle" | "ra";

export function newRiskId(prefix: RiskIdPrefix): string {
  return `${prefix}_${newId("request").slice("req_".length)}`;
}
