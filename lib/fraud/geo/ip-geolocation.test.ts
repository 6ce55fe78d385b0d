import { describe, expect, it } from "vitest";
import { createIpGeoDatabase, distanceKm, getIpGeoDatabase, ipv4ToNumber } from "./ip-geolocation";

describe("IP geolocation", () => {
  it("parses IPv4 and IPv4-mapped IPv6, rejects the rest", () => {
    expect(ipv4ToNumber("1.2.3.4")).toBe(16909060);
    expect(ipv4ToNumber("::ffff:1.2.3.4")).toBe(16909060);
    expect(ipv4ToNumber("256.1.1.1")).toBeNull();
    expect(ipv4ToNumber("2001:db8::1")).toBeNull();
    expect(ipv4ToNumber("not an ip")).toBeNull();
  });

  it("finds the range an address falls in, inclusive at both ends, and nothing in gaps", () => {
    const db = createIpGeoDatabase("16777216,16777471,AU\n16777728,16778239,CN\n", { AU: [-27, 133], CN: [35, 105] });
    expect(db.countryOf("1.0.0.0")).toBe("AU");
    expect(db.countryOf("1.0.0.255")).toBe("AU");
    expect(db.countryOf("1.0.1.0")).toBeNull();
    expect(db.countryOf("1.0.2.0")).toBe("CN");
    expect(db.countryOf("0.255.255.255")).toBeNull();
    expect(db.locate("1.0.2.1")).toEqual({ country: "CN", latitude: 35, longitude: 105 });
  });

  it("the bundled database places well-known addresses", () => {
    const db = getIpGeoDatabase();
    expect(db.rangeCount).toBeGreaterThan(100_000);
    expect(db.countryOf("8.8.8.8")).toBe("US");
    expect(db.countryOf("5.9.0.1")).toBe("DE");
    expect(db.countryOf("10.0.0.1")).toBeNull();
    expect(db.centroidOf("DE")).toMatchObject({ country: "DE" });
  });

  it("distances: zero to itself, about 7,800 km between the US and German centroids", () => {
    const us = { latitude: 38, longitude: -97 };
    expect(distanceKm(us, us)).toBe(0);
    expect(distanceKm(us, { latitude: 51, longitude: 9 })).toBeGreaterThan(7_500);
    expect(distanceKm(us, { latitude: 51, longitude: 9 })).toBeLessThan(8_100);
  });
});
