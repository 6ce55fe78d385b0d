// Payments reports every attempt's result here (after the PSP answered, or after our own block), so
// velocity, geolocation, the model's history features and AML aggregates can see it. The email and IP
// are stored as keyed pseudonyms only (attempt-pseudonyms.ts).
import { db, type Db, type Tx } from "@/lib/db/client";
import { getAttemptPseudonyms } from "./attempt-pseudonyms";
import { ZRecordPaymentAttemptInput, type TRecordPaymentAttemptInput } from "./assess-payment-risk.types";
import { getIpGeoDatabase } from "./geo/ip-geolocation";
import { toUsdMinor } from "./usd-equivalent";

/**
 * Records a payment's attempt, once: a payment already recorded (re-driven, re-synced) is left as it is.
 * Pass `client` to write it inside the caller's transaction.
 */
export async function recordPaymentAttempt(raw: TRecordPaymentAttemptInput, client: Tx | Db = db()): Promise<void> {
  const input = ZRecordPaymentAttemptInput.parse(raw);
  const ipCountry = input.ipAddress ? getIpGeoDatabase().countryOf(input.ipAddress) : null;
  const [amountUsdMinor, pseudonyms] = await Promise.all([
    toUsdMinor(input.amountMinor, input.currency, input.occurredAt),
    getAttemptPseudonyms(input.merchantId, input, client),
  ]);
  // INSERT … ON CONFLICT (merchant_id, payment_id) DO NOTHING
  await client.riskPaymentAttempt.createMany({
    skipDuplicates: true,
    data: {
      merchantId: input.merchantId,
      paymentId: input.paymentId,
      customerId: input.customerId ?? null,
      emailHmac: pseudonyms.email,
      cardFingerprint: input.cardFingerprint ?? null,
      ipAddressHmac: pseudonyms.ipAddress,
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
