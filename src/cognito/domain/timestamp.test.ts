// Tests for the SRP TIMESTAMP: Cognito's exact text, both ways.
import { describe, expect, it } from "vitest";
import { formatSrpTimestamp, parseSrpTimestamp } from "./timestamp.js";

describe("formatSrpTimestamp", () => {
  it("writes the day of month without padding and the time with", () => {
    expect(formatSrpTimestamp(Date.UTC(2024, 0, 2, 3, 4, 5))).toBe("Tue Jan 2 03:04:05 UTC 2024");
    expect(formatSrpTimestamp(Date.UTC(2026, 11, 31, 23, 59, 59, 999))).toBe("Thu Dec 31 23:59:59 UTC 2026");
    expect(formatSrpTimestamp(Date.UTC(2024, 1, 29, 0, 0, 0))).toBe("Thu Feb 29 00:00:00 UTC 2024");
    expect(formatSrpTimestamp(Date.UTC(2025, 5, 10, 12, 30, 7))).toBe("Tue Jun 10 12:30:07 UTC 2025");
  });

  it("uses UTC whatever the instant's local zone", () => {
    // 23:30 on Sunday in UTC is already Monday east of Greenwich.
    expect(formatSrpTimestamp(Date.parse("2026-03-01T23:30:00Z"))).toBe("Sun Mar 1 23:30:00 UTC 2026");
  });
});

describe("parseSrpTimestamp", () => {
  it("reads what formatSrpTimestamp writes (to the second)", () => {
    for (let i = 0; i < 200; i++) {
      const seconds = 946_684_800 + i * 9_876_543;
      expect(parseSrpTimestamp(formatSrpTimestamp(seconds * 1000))).toBe(seconds * 1000);
    }
    expect(parseSrpTimestamp("Tue Jan 2 03:04:05 UTC 2024")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
  });

  it.each([
    ["zero-padded day", "Tue Jan 02 03:04:05 UTC 2024"],
    ["space-padded day", "Tue Jan  2 03:04:05 UTC 2024"],
    ["wrong weekday", "Wed Jan 2 03:04:05 UTC 2024"],
    ["GMT", "Tue Jan 2 03:04:05 GMT 2024"],
    ["numeric zone", "Tue Jan 2 03:04:05 +0000 2024"],
    ["lower-case names", "tue jan 2 03:04:05 UTC 2024"],
    ["full names", "Tuesday January 2 03:04:05 UTC 2024"],
    ["unpadded hour", "Tue Jan 2 3:04:05 UTC 2024"],
    ["hour 24", "Tue Jan 2 24:00:00 UTC 2024"],
    ["leap second", "Tue Jan 2 03:04:60 UTC 2024"],
    ["day 32", "Thu Jan 32 03:04:05 UTC 2024"],
    ["Feb 30", "Fri Feb 30 03:04:05 UTC 2024"],
    ["Feb 29 of a common year", "Sat Feb 29 03:04:05 UTC 2025"],
    ["two-digit year", "Tue Jan 2 03:04:05 UTC 24"],
    ["trailing space", "Tue Jan 2 03:04:05 UTC 2024 "],
    ["milliseconds", "Tue Jan 2 03:04:05.000 UTC 2024"],
    ["ISO 8601", "2024-01-02T03:04:05Z"],
    ["empty", ""],
  ])("rejects %s", (_name, text) => {
    expect(parseSrpTimestamp(text)).toBeUndefined();
  });
});
