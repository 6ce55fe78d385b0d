import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";

export type MerchantDto = { id: string; object: "merchant"; name: string; country: string; default_currency: string; created: string };

export async function getMerchant(merchantId: string): Promise<MerchantDto> {
  const row = await db().merchant.findUnique({
    where: { id: merchantId },
    select: { id: true, name: true, country: true, defaultCurrency: true, createdAt: true },
  });
  if (!row) throw new AppError("resource_missing", `No such merchant: '${merchantId}'`);
  return { id: row.id, object: "merchant", name: row.name, country: row.country, default_currency: row.defaultCurrency, created: row.createdAt.toISOString() };
}
