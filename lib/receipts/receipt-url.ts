// The public URL of a receipt (the same as payments' receipt_url).
import { getEnv } from "@/lib/env";

export function receiptUrlFor(token: string): string {
  return `${getEnv().APP_URL.replace(/\/+$/, "")}/receipts/${token}`;
}
