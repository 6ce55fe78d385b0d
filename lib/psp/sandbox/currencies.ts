// Currency minor units, minimum charge amounts and the sandbox FX table (settlement conversion).

const ZERO_DECIMAL = new Set([
  "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf",
]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** Units of each currency worth one US dollar (approximate, fixed so tests are deterministic). */
const UNITS_PER_USD: Record<string, number> = {
  usd: 1, eur: 0.92, gbp: 0.79, chf: 0.88, cad: 1.36, aud: 1.52, nzd: 1.64, sek: 10.5, nok: 10.6, dkk: 6.86,
  pln: 3.95, czk: 22.8, huf: 355, jpy: 150, krw: 1330, cny: 7.2, hkd: 7.82, sgd: 1.34, inr: 83, mxn: 17,
  brl: 5, zar: 18.5, bhd: 0.376, jod: 0.709, kwd: 0.307, omr: 0.385, tnd: 3.1, clp: 900, vnd: 24500,
  xof: 603, xaf: 603, ugx: 3800, isk: 137, ils: 3.7, aed: 3.67, sar: 3.75, thb: 35.5, myr: 4.6, php: 56,
};

/** Minimum charge amount in minor units, per Stripe's documented table (approximately 0.50 USD). */
const MINIMUM_MINOR: Record<string, number> = {
  usd: 50, eur: 50, gbp: 30, chf: 50, cad: 50, aud: 50, nzd: 50, sek: 300, nok: 300, dkk: 250, pln: 200,
  czk: 1500, huf: 17500, jpy: 50, krw: 700, hkd: 400, sgd: 50, inr: 50, mxn: 1000, brl: 50, aed: 200,
  bhd: 200, jod: 400, kwd: 200, omr: 200, tnd: 2000,
};

export const MAX_AMOUNT = 99_999_999;

export function isSupportedCurrency(currency: string): boolean {
  return /^[a-z]{3}$/.test(currency) && currency in UNITS_PER_USD;
}

export function minorUnitExponent(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

export function isZeroDecimal(currency: string): boolean {
  return ZERO_DECIMAL.has(currency);
}

export function isThreeDecimal(currency: string): boolean {
  return THREE_DECIMAL.has(currency);
}

export function minimumAmount(currency: string): number {
  const known = MINIMUM_MINOR[currency];
  if (known !== undefined) return known;
  // Fallback: the equivalent of 0.50 USD in this currency's minor units.
  const units = (UNITS_PER_USD[currency] ?? 1) * 0.5;
  return Math.max(1, Math.ceil(units * 10 ** minorUnitExponent(currency)));
}

/** Major units of `to` per one major unit of `from` — the number Stripe reports as `exchange_rate`. */
export function exchangeRate(from: string, to: string): number {
  if (from === to) return 1;
  const fromPerUsd = UNITS_PER_USD[from];
  const toPerUsd = UNITS_PER_USD[to];
  if (!fromPerUsd || !toPerUsd) throw new Error(`no FX rate for ${from}->${to}`);
  return Number((toPerUsd / fromPerUsd).toPrecision(6));
}

/** Converts a minor-unit amount between currencies at `rate` (major-per-major), rounding half away from zero. */
export function convertMinor(amountMinor: number, from: string, to: string, rate: number): number {
  const major = amountMinor / 10 ** minorUnitExponent(from);
  const converted = major * rate * 10 ** minorUnitExponent(to);
  const rounded = Math.sign(converted) * Math.round(Math.abs(converted));
  return rounded === 0 ? 0 : rounded;
}
