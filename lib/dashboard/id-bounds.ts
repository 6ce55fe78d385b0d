// Ids sort by creation time (lib/ids.ts: 10 base32 characters of milliseconds, then randomness), so a time
// range is also an id range. Range filters on the (merchant_id, id) indexes stay index scans.
import { ID_PREFIXES, type IdKind } from "@/lib/ids";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

function encodeTime(ms: number): string {
  let value = BigInt(Math.max(0, Math.floor(ms)));
  let out = "";
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** The smallest id of this kind that could have been made at `date` or later. */
export function idLowerBound(kind: IdKind, date: Date): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(date.getTime())}${"0".repeat(16)}`;
}

/** The largest id of this kind that could have been made at `date` or earlier. */
export function idUpperBound(kind: IdKind, date: Date): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(date.getTime())}${"z".repeat(16)}`;
}
