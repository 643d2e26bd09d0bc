// Unit tests of the shared paging helpers: code point order, prefix bounds, cursors.
import { describe, expect, it } from "vitest";
import { InvalidCursor } from "./errors.js";
import { checkLimit, compareText, decodeCursor, encodeCursor, prefixSuccessor } from "./paging.js";

const utf8Order = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe("compareText", () => {
  it("orders like SQLite's BINARY collation of UTF-8", () => {
    const samples = [
      "",
      "a",
      "ab",
      "b",
      "\u{7f}",
      "\u{80}",
      "\u{d7ff}",
      "\u{e000}",
      "\u{fffd}",
      "\u{ffff}",
      "\u{10000}",
      "\u{1f600}",
      "\u{10ffff}",
      "a\u{1f600}",
      "a\u{fffd}",
    ];
    for (const a of samples) {
      for (const b of samples) expect([a, b, Math.sign(compareText(a, b))]).toEqual([a, b, utf8Order(a, b)]);
    }
  });
});

describe("prefixSuccessor", () => {
  it("gives the least string above every string with the prefix", () => {
    expect(prefixSuccessor("ab")).toBe("ac");
    expect(prefixSuccessor("a\u{d7ff}")).toBe("a\u{e000}");
    expect(prefixSuccessor("a\u{ffff}")).toBe("a\u{10000}");
    expect(prefixSuccessor("a\u{10ffff}")).toBe("b");
    expect(prefixSuccessor("")).toBeUndefined();
    expect(prefixSuccessor("\u{10ffff}\u{10ffff}")).toBeUndefined();
  });

  it("bounds exactly the strings that start with the prefix", () => {
    const prefix = "a\u{fffd}";
    const upper = prefixSuccessor(prefix) ?? "";
    for (const s of [
      "a\u{fffd}",
      "a\u{fffd}\u{10ffff}",
      "a\u{fffd}\u{1f600}",
      "a\u{fffe}",
      "a\u{fffc}z",
      "b",
    ]) {
      const inRange = compareText(s, prefix) >= 0 && compareText(s, upper) < 0;
      expect([s, inRange]).toEqual([s, s.startsWith(prefix)]);
    }
  });
});

describe("cursors", () => {
  it("round-trip a position within their scope and are refused elsewhere", () => {
    const cursor = encodeCursor("users:email", ["a@x.com", "alice"]);
    expect(decodeCursor(cursor, "users:email", 2)).toEqual(["a@x.com", "alice"]);
    expect(() => decodeCursor(cursor, "users:name", 2)).toThrow(InvalidCursor);
    expect(() => decodeCursor(cursor, "users:email", 1)).toThrow(InvalidCursor);
    expect(() => decodeCursor("not base64 json", "users", 1)).toThrow(InvalidCursor);
    expect(() => decodeCursor(encodeCursor("users", []).replace(/.$/, ""), "users", 1)).toThrow(
      InvalidCursor,
    );
  });

  it("checks limits", () => {
    expect(() => checkLimit(1)).not.toThrow();
    expect(() => checkLimit(0)).toThrow(RangeError);
    expect(() => checkLimit(1.5)).toThrow(RangeError);
  });
});
