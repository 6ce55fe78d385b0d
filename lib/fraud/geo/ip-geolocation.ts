// Offline IP → country → coordinates. IPv4 ranges come from the npm package
// @ip-location-db/geo-whois-asn-country (CC0, ~330k ranges, refreshed upstream from RIR whois/ASN data;
// update it with `npm install --save-exact @ip-location-db/geo-whois-asn-country@<newer>`), country
// centroids from world-countries (ODbL). Both are read from node_modules on first use (~0.3 s, ~3 MB of
// typed arrays) and kept for the process. IPv6 other than IPv4-mapped addresses is not located (null).
import { readFileSync } from "node:fs";
import path from "node:path";

export type GeoPoint = { country: string; latitude: number; longitude: number };

export type IpGeoDatabase = {
  /** ISO 3166-1 alpha-2 country of an IPv4 address (or IPv4-mapped IPv6), null when unknown. */
  countryOf(ip: string): string | null;
  /** The country's centroid, null when the country is unknown. */
  centroidOf(country: string): GeoPoint | null;
  locate(ip: string): GeoPoint | null;
  rangeCount: number;
};

const IPV4_CSV = "node_modules/@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-ipv4-num.csv";
const COUNTRIES_JSON = "node_modules/world-countries/countries.json";

/** 1.2.3.4 (or ::ffff:1.2.3.4) → 16909060; null for anything else. */
export function ipv4ToNumber(ip: string): number | null {
  const text = ip.trim().toLowerCase().replace(/^::ffff:/, "");
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!match) return null;
  let value = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(match[i]);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/**
 * Builds a database from "start,end,CC" lines (numeric IPv4, ascending, non-overlapping, as the package
 * ships them) and a country → [lat, lon] table.
 */
export function createIpGeoDatabase(rangesCsv: string, centroids: Record<string, readonly [number, number]>): IpGeoDatabase {
  const lines = rangesCsv.split("\n");
  const starts = new Uint32Array(lines.length);
  const ends = new Uint32Array(lines.length);
  const countryIndex = new Uint16Array(lines.length);
  const countries: string[] = [];
  const indexOf = new Map<string, number>();
  let count = 0;
  for (const line of lines) {
    if (line === "" || line.startsWith("#")) continue;
    const [start, end, country] = line.split(",");
    const code = country?.trim().toUpperCase();
    if (!start || !end || !code || !/^\d+$/.test(start) || !/^[A-Z]{2}$/.test(code)) continue;
    let index = indexOf.get(code);
    if (index === undefined) {
      index = countries.push(code) - 1;
      indexOf.set(code, index);
    }
    starts[count] = Number(start);
    ends[count] = Number(end);
    countryIndex[count] = index;
    count++;
  }
  const table = new Map(Object.entries(centroids).map(([code, [latitude, longitude]]) => [code.toUpperCase(), { country: code.toUpperCase(), latitude, longitude }]));

  function countryOf(ip: string): string | null {
    const value = ipv4ToNumber(ip);
    if (value === null) return null;
    // Last range whose start <= value.
    let low = 0;
    let high = count - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (starts[mid]! <= value) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (found < 0 || ends[found]! < value) return null;
    return countries[countryIndex[found]!]!;
  }
  function centroidOf(country: string): GeoPoint | null {
    return table.get(country.toUpperCase()) ?? null;
  }
  return {
    countryOf,
    centroidOf,
    locate(ip) {
      const country = countryOf(ip);
      return country ? centroidOf(country) : null;
    },
    rangeCount: count,
  };
}

let loaded: IpGeoDatabase | undefined;

/** The bundled database, loaded once per process. */
export function getIpGeoDatabase(): IpGeoDatabase {
  if (loaded) return loaded;
  const root = process.cwd();
  const ranges = readFileSync(path.join(root, IPV4_CSV), "utf8");
  const countries = JSON.parse(readFileSync(path.join(root, COUNTRIES_JSON), "utf8")) as { cca2: string; latlng: [number, number] }[];
  const centroids: Record<string, [number, number]> = {};
  for (const country of countries) if (country.cca2 && country.latlng?.length === 2) centroids[country.cca2] = country.latlng;
  loaded = createIpGeoDatabase(ranges, centroids);
  return loaded;
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = toRadians(b.latitude - a.latitude);
  const dLon = toRadians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
