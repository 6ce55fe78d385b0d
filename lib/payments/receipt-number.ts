// Receipt numbers that look sequential per merchant ("1042-0007"): a per-merchant prefix (unique, from a
// sequence) and a counter incremented by one statement (the row lock orders them). Payments take it in a
// statement of its own just before their insert transaction, so the counter row is locked only for that
// statement; a rolled-back insert leaves a gap, never a duplicate.
import type { Db, Tx } from "@/lib/db/client";

export async function nextReceiptNumber(tx: Tx | Db, merchantId: string): Promise<string> {
  const rows = await tx.$queryRaw<{ prefix: number; last_number: number }[]>`
    insert into payment_receipt_counters (merchant_id, last_number) values (${merchantId}, 1)
    on conflict (merchant_id) do update set last_number = payment_receipt_counters.last_number + 1
    returning prefix, last_number`;
  const row = rows[0]!;
  return `${row.prefix}-${String(row.last_number).padStart(4, "0")}`;
}
