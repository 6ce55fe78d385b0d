// Payments reports every attempt's result here (after the PSP answered, or after our own block), so
// velocity, geolocation, the model's history features and AML aggregates can see it.
import { db } from "@/lib/db/client";
import { ZRecordPaymentAttemptInput, type TRecordPaymentAttemptInput } from "./assess-payment-risk.types";
import { getIpGeoDatabase } from "./geo/ip-geolocation";
import { toUsdMinor } from "./usd-equivalent";

export async function recordPaymentAttempt(raw: TRecordPaymentAttemptInput): Promise<void> {
  const input = ZRecordPaymentAttemptInput.parse(raw);
  const ipCountry = input.ipAddress ? getIpGeoDatabase().countryOf(input.ipAddress) : null;
  const amountUsdMinor = await toUsdMinor(input.amountMinor, input.currency, input.occurredAt);
  await db().riskPaymentAttempt.create({
    data: {
      merchantId: input.merchantId,
      paymentId: input.paymentId,
      customerId: input.customerId ?? null,
      email: input.email ?? null,
      cardFingerprint: input.cardFingerprint ?? null,
      ipAddress: input.ipAddress ?? null,
      ipCountry,
      billingCountry: input.billingCountry ?? null,
      amountMinor: input.amountMinor,
      currency: input.currency,
      amountUsdMinor,
      paymentMethodType: input.paymentMethodType,
      succeeded: input.succeeded,
      occurredAt: input.occurredAt,
    },
  });
}
