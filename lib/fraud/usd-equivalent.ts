// USD-equivalent of an amount at a moment, from the loaded reference FX rates; null when none is loaded.
import { AppError } from "@/lib/api/errors";
import { getFxRate } from "@/lib/fx";
import { convert, type CurrencyCode } from "@/lib/money";

export async function toUsdMinor(amountMinor: bigint, currency: string, at: Date): Promise<bigint | null> {
  if (currency === "USD") return amountMinor;
  try {
    const rate = await getFxRate(currency, "USD", at);
    return convert({ amountMinor, currency: currency as CurrencyCode }, "USD", rate.rate, "half_even").amountMinor;
  } catch (error) {
    if (error instanceof AppError && error.code === "fx_rate_missing") return null;
    throw error;
  }
}
