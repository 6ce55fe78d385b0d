// Receipt numbers that look sequential per merchant ("1042-0007"): a per-merchant prefix (unique, from a
// sequence) and a counter incremented in the payment's insert transaction (the row lock orders them).
import type { Tx } from "@/lib/db/client";

export async function nextReceiptNumber(tx: Tx, merchantId: string): Promise<string> {
  const rows = await tx.$queryRaw<{ prefix: number; last_number: number }[]>`
    insert into payment_receipt_counters (merchant_id, last_number) values (${merchantId}, 1)
    on conflict (merchant_id) do update set last_number = payment_receipt_counters.last_number + 1
    returning prefix, last_number`;
  const row = rows[0]!;
  return `${row.prefix}-${String(row.last_number).padStart(4, "0")}`;
}
