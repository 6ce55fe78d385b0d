// A labelled, reproducible training set for the fraud model. There is no real labelled history yet, so
// transactions are drawn from two overlapping populations (legitimate and fraudulent) whose shapes follow
// common card-fraud patterns: card testing (many failures, many cards per IP), account takeover (new card,
// far from the previous location), and first-time high-value orders. Seeded, so every run is identical.
import { DISPOSABLE_EMAIL_DOMAINS, FREE_EMAIL_DOMAINS, type FeatureInput } from "./features";

/** mulberry32: a small, fast, seedable PRNG. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (random: Random, p: number) => random() < p;
/** Log-normal amount around `median` USD. */
function amount(random: Random, median: number, spread: number): number {
  const u = Math.max(1e-12, random());
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.round(median * Math.exp(spread * normal) * 100) / 100;
}
function poisson(random: Random, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit && k < 50) {
    k++;
    p *= random();
  }
  return k;
}

const DISPOSABLE = [...DISPOSABLE_EMAIL_DOMAINS];
const FREE = [...FREE_EMAIL_DOMAINS];
const BUSINESS = ["acme.test", "example.org", "shop.test", "company.test", "uni.test"];

function legitimate(random: Random): FeatureInput {
  const returning = chance(random, 0.7);
  const average = returning ? amount(random, 60, 0.8) : null;
  const distance = returning && chance(random, 0.6) ? (chance(random, 0.9) ? random() * 300 : random() * 6000) : null;
  const elapsedHours = 1 + random() * 400;
  const hour = chance(random, 0.9) ? 7 + Math.floor(random() * 17) : Math.floor(random() * 7);
  return {
    amountUsd: average !== null && chance(random, 0.8) ? amount(random, average, 0.5) : amount(random, 55, 1.0),
    historyAverageAmountUsd: average,
    priorSuccessCount: returning ? 1 + poisson(random, 6) : 0,
    failures24h: chance(random, 0.1) ? 1 + poisson(random, 0.3) : 0,
    attemptsLastHour: chance(random, 0.15) ? 1 + poisson(random, 0.4) : 0,
    distinctCardsForIp24h: chance(random, 0.1) ? 2 : 1,
    previousDistanceKm: distance,
    previousSpeedKmh: distance === null ? null : distance / elapsedHours,
    localHour: hour % 24,
    newCardForCustomer: returning && chance(random, 0.08),
    emailDomain: chance(random, 0.005) ? pick(random, DISPOSABLE) : chance(random, 0.65) ? pick(random, FREE) : pick(random, BUSINESS),
    billingCountryMismatch: chance(random, 0.05),
    ipUnknown: chance(random, 0.05),
  };
}

function fraudulent(random: Random): FeatureInput {
  const pattern = random();
  const returning = pattern < 0.3; // account takeover on an existing customer
  const average = returning ? amount(random, 60, 0.8) : null;
  const cardTesting = pattern >= 0.3 && pattern < 0.6;
  const distance = returning ? (chance(random, 0.7) ? 2000 + random() * 8000 : random() * 500) : chance(random, 0.3) ? random() * 9000 : null;
  const elapsedHours = returning ? 0.1 + random() * 20 : 1 + random() * 100;
  return {
    amountUsd: cardTesting ? amount(random, 3, 0.8) : amount(random, returning ? (average ?? 60) * 4 : 250, 0.9),
    historyAverageAmountUsd: average,
    priorSuccessCount: returning ? 1 + poisson(random, 5) : chance(random, 0.15) ? 1 : 0,
    failures24h: cardTesting ? 2 + poisson(random, 4) : chance(random, 0.35) ? 1 + poisson(random, 1) : 0,
    attemptsLastHour: cardTesting ? 2 + poisson(random, 5) : chance(random, 0.4) ? 1 + poisson(random, 1.5) : 0,
    distinctCardsForIp24h: cardTesting ? 2 + poisson(random, 5) : chance(random, 0.3) ? 2 + poisson(random, 1) : 1,
    previousDistanceKm: distance,
    previousSpeedKmh: distance === null ? null : distance / elapsedHours,
    localHour: chance(random, 0.45) ? Math.floor(random() * 6) : Math.floor(random() * 24),
    newCardForCustomer: returning && chance(random, 0.75),
    emailDomain: chance(random, 0.25) ? pick(random, DISPOSABLE) : chance(random, 0.6) ? pick(random, FREE) : pick(random, BUSINESS),
    billingCountryMismatch: chance(random, 0.4),
    ipUnknown: chance(random, 0.25),
  };
}

export type LabelledSample = { input: FeatureInput; label: 0 | 1 };

/** `count` samples, about `fraudRate` of them fraudulent, fully determined by `seed`. */
export function generateSyntheticTransactions(seed: number, count: number, fraudRate = 0.08): LabelledSample[] {
  const random = createRandom(seed);
  const samples: LabelledSample[] = [];
  for (let i = 0; i < count; i++) {
    const isFraud = random() < fraudRate;
    samples.push({ input: isFraud ? fraudulent(random) : legitimate(random), label: isFraud ? 1 : 0 });
  }
  return samples;
}
