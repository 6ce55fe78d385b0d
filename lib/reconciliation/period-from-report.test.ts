// The period an uploaded report covers when the uploader gives none: whole UTC days around its rows.
import { describe, expect, test } from "vitest";
import { periodFromReportTimes } from "./import-settlement-report";

const at = (iso: string) => new Date(iso);

describe("periodFromReportTimes", () => {
  test("one day of rows → that UTC day, end exclusive", () => {
    expect(periodFromReportTimes(at("2026-11-20T00:00:00Z"), at("2026-11-20T23:59:59.999Z"))).toEqual({
      periodStart: at("2026-11-20T00:00:00Z"),
      periodEnd: at("2026-11-21T00:00:00Z"),
    });
  });

  test("rows across days → from the first row's day to the end of the last row's day", () => {
    expect(periodFromReportTimes(at("2026-11-20T13:00:00Z"), at("2026-11-22T00:00:00Z"))).toEqual({
      periodStart: at("2026-11-20T00:00:00Z"),
      periodEnd: at("2026-11-23T00:00:00Z"),
    });
  });

  test("a bound the uploader gave is kept; only the other comes from the rows", () => {
    expect(periodFromReportTimes(at("2026-11-20T13:00:00Z"), at("2026-11-21T08:00:00Z"), { periodStart: at("2026-11-19T12:00:00Z") })).toEqual({
      periodStart: at("2026-11-19T12:00:00Z"),
      periodEnd: at("2026-11-22T00:00:00Z"),
    });
  });
});
