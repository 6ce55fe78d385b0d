// Geolocation anomaly: the same card or customer seen from a place it could not have travelled from in
// the time since its previous attempt (distance between country centroids over elapsed time faster than
// `maxSpeedKmh`). Centroids are coarse, so distances under `minDistanceKm` never count.
import { z } from "zod";
import { distanceKm } from "../geo/ip-geolocation";
import { NO_HIT, type FraudRule, type PastAttempt, type RuleFacts } from "./rule";

export const ZGeoAnomalyConfig = z.object({
  /** Faster than an airliner door to door. */
  maxSpeedKmh: z.number().positive().max(100_000).default(900),
  minDistanceKm: z.number().min(0).max(20_000).default(500),
  weight: z.number().int().min(0).max(100).default(40),
});
export type GeoAnomalyConfig = z.output<typeof ZGeoAnomalyConfig>;

export type TravelCheck = { distanceKm: number; elapsedHours: number; speedKmh: number; impossible: boolean };

export function checkTravel(
  from: { latitude: number; longitude: number; at: Date },
  to: { latitude: number; longitude: number; at: Date },
  config: GeoAnomalyConfig,
): TravelCheck {
  const km = distanceKm(from, to);
  const elapsedHours = Math.max(0, to.at.getTime() - from.at.getTime()) / 3_600_000;
  const speedKmh = elapsedHours === 0 ? (km === 0 ? 0 : Infinity) : km / elapsedHours;
  return { distanceKm: km, elapsedHours, speedKmh, impossible: km >= config.minDistanceKm && speedKmh > config.maxSpeedKmh };
}

/** The newest earlier attempt by the same card or customer whose IP could be placed. */
export function previousLocatedAttempt(facts: RuleFacts): PastAttempt | null {
  const { cardFingerprint, customerId, occurredAt } = facts.input;
  return (
    facts.history.find(
      (attempt) =>
        attempt.ipCountry !== null &&
        attempt.occurredAt.getTime() <= occurredAt.getTime() &&
        ((cardFingerprint && attempt.cardFingerprint === cardFingerprint) || (customerId && attempt.customerId === customerId)),
    ) ?? null
  );
}

export const geoAnomalyRule: FraudRule<GeoAnomalyConfig> = {
  name: "geo_anomaly",
  configSchema: ZGeoAnomalyConfig,
  evaluate(facts, config) {
    if (!facts.ipLocation) return NO_HIT;
    const previous = previousLocatedAttempt(facts);
    const origin = previous?.ipCountry ? facts.centroidOf(previous.ipCountry) : null;
    if (!previous || !origin) return NO_HIT;
    const travel = checkTravel({ ...origin, at: previous.occurredAt }, { ...facts.ipLocation, at: facts.input.occurredAt }, config);
    if (!travel.impossible) return NO_HIT;
    return {
      weight: config.weight,
      reasons: [
        {
          rule: "geo_anomaly",
          detail: `impossible travel: ${previous.ipCountry} → ${facts.ipLocation.country}, ${Math.round(travel.distanceKm)} km in ${travel.elapsedHours.toFixed(2)} h`,
          weight: config.weight,
        },
      ],
    };
  },
};
