// Cursors, limits and text order shared by the adapters, so that every adapter pages and sorts alike.
import { InvalidCursor } from "./errors.js";
import type { Page } from "./port.js";

/**
 * Orders strings by Unicode code point, which is the order SQLite's BINARY collation gives UTF-8 text.
 * JavaScript's `<` compares UTF-16 code units and puts U+E000..U+FFFF after astral characters.
 */
export function compareText(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (astral characters) move above U+E000..U+FFFF; both shifts keep each range's order.
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The least string above every string that starts with `prefix`, or undefined when there is none
 * (empty prefix, or one made only of U+10FFFF). `value >= prefix AND value < successor` is a prefix
 * match that an index can serve.
 */
export function prefixSuccessor(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < 0x10ffff) {
      // Lone surrogates cannot be stored as UTF-8, so the successor of U+D7FF is U+E000.
      points.push(last === 0xd7ff ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`page limit must be a positive integer, got ${limit}`);
  }
}

/** A filtered ListUsers cursor is only good for the same filter: its position is inside that match. */
export function userFilterScope(filter: { attribute: string; op: string; value: string }): string {
  return `users:${filter.attribute}:${filter.op}:${filter.value}`;
}

/** A cursor names the listing it belongs to, so one listing's cursor is refused by another. */
export function encodeCursor(scope: string, position: readonly string[]): string {
  return Buffer.from(JSON.stringify([scope, ...position]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, scope: string, size: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== size + 1 ||
    parsed[0] !== scope ||
    !parsed.every((part) => typeof part === "string")
  ) {
    throw new InvalidCursor();
  }
  return parsed.slice(1) as string[];
}

/** A page from rows read with `limit + 1`, so that `next` is only given when another page really exists. */
export function pageOf<R, T>(
  rows: R[],
  limit: number,
  scope: string,
  position: (row: R) => string[],
  output: (row: R) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(output),
    next: rows.length > limit && last !== undefined ? encodeCursor(scope, position(last)) : undefined,
  };
}
