// Invocation logs beyond SQL: the filter pattern, byte counts, page edges and cursor scopes.
import { decodeCursor } from "./paging.js";
import type { LogEventInput, LogEventsPage, LogEventsQuery, StoredLogEvent } from "./port.js";

/** A filter pattern this edge cannot read (malformed, or a JSON, space-delimited or regex pattern). */
export class InvalidFilterPattern extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidFilterPattern";
  }
}

/**
 * CloudWatch's term matching on unstructured events, case-sensitive substrings:
 * `A B` both, `-A` not A, `?A ?B` either. A `?term` opens an alternative that the plain terms after
 * it join (`?A B ?C D` is A and B, or C and D), as CDK's anyTermGroup writes it; plain terms before the
 * first `?` are required in every case.
 */
export interface TermPattern {
  required: string[];
  excluded: string[];
  alternatives: string[][];
}

export function parseFilterPattern(text: string): TermPattern {
  const pattern: TermPattern = { required: [], excluded: [], alternatives: [] };
  const trimmed = text.trim();
  if (/^[{[%]/.test(trimmed)) {
    const kind = trimmed.startsWith("{") ? "JSON" : trimmed.startsWith("[") ? "space-delimited" : "regex";
    throw new InvalidFilterPattern(
      `${kind} filter patterns are not supported by cognito-triggers; use terms, "quoted phrases", ?any-of and -excluded terms.`,
    );
  }
  let current: string[] | undefined;
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text.charAt(i))) {
      i++;
      continue;
    }
    let kind: "plain" | "any" | "not" = "plain";
    const mark = text.charAt(i);
    if ((mark === "?" || mark === "-") && i + 1 < text.length && !/\s/.test(text.charAt(i + 1))) {
      kind = mark === "?" ? "any" : "not";
      i++;
    }
    let term = "";
    if (text.charAt(i) === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const c = text.charAt(i);
        if (c === "\\" && i + 1 < text.length) {
          term += text.charAt(i + 1);
          i += 2;
          continue;
        }
        i++;
        if (c === '"') {
          closed = true;
          break;
        }
        term += c;
      }
      if (!closed) throw new InvalidFilterPattern(`Invalid filter pattern: unterminated quote in ${text}`);
    } else {
      while (i < text.length && !/\s/.test(text.charAt(i))) term += text.charAt(i++);
      if (term.startsWith("%")) {
        throw new InvalidFilterPattern("regex filter patterns are not supported by cognito-triggers.");
      }
    }
    if (kind === "not") pattern.excluded.push(term);
    else if (kind === "any") {
      current = [term];
      pattern.alternatives.push(current);
    } else if (current) current.push(term);
    else pattern.required.push(term);
  }
  return pattern;
}

/** CloudWatch's size of an event: its UTF-8 message plus 26 bytes. */
export function eventBytes(message: string): number {
  return Buffer.byteLength(message, "utf8") + 26;
}

export function checkAppend(
  group: string,
  stream: string,
  events: readonly LogEventInput[],
  at: number,
): void {
  if (group === "" || stream === "") throw new RangeError("log group and stream names must not be empty");
  if (!Number.isSafeInteger(at) || at < 0) throw new RangeError(`ingestion time must be epoch ms, got ${at}`);
  for (const event of events) {
    if (!Number.isSafeInteger(event.timestamp) || event.timestamp < 0) {
      throw new RangeError(`log event timestamp must be epoch ms, got ${event.timestamp}`);
    }
    if (typeof event.message !== "string") throw new TypeError("log event message must be a string");
  }
}

/** Larger than any timestamp or seq a store holds: the end of every stream. */
export const POSITION_MAX = Number.MAX_SAFE_INTEGER;

/** The page edges of GetLogEvents, from the events read (oldest first) and the query. */
export function eventsPage(events: StoredLogEvent[], query: LogEventsQuery): LogEventsPage {
  const first = events[0];
  const last = events[events.length - 1];
  if (first && last) {
    return {
      events,
      forward: { timestamp: last.timestamp, seq: last.seq + 1 },
      backward: { timestamp: first.timestamp, seq: first.seq },
    };
  }
  // Nothing read: both edges stay where the reading was, so a follower keeps getting the same token.
  const at = query.from?.position ?? { timestamp: Math.max(0, query.startTime ?? 0), seq: 0 };
  return { events, forward: at, backward: at };
}

/** Cursor scopes: a cursor of one listing is refused by another (other group, order or direction). */
export const logCursorScope = {
  groups: "log-groups",
  streams: (group: string, orderBy: string, descending: boolean) =>
    `log-streams/${orderBy}/${descending ? "desc" : "asc"}/${group}`,
  filter: (group: string, descending: boolean) => `log-filter/${descending ? "desc" : "asc"}/${group}`,
};

/**
 * Whether a FilterLogEvents cursor of `group` reads newest first (true), oldest first (false), or is
 * none of this store's: CloudWatch lets a token's direction win over the request's startFromHead.
 */
export function filterCursorDirection(cursor: string, group: string): boolean | undefined {
  for (const descending of [false, true]) {
    try {
      decodeCursor(cursor, logCursorScope.filter(group, descending), 2);
      return descending;
    } catch {
      // Not this direction's cursor.
    }
  }
  return undefined;
}

/** Decimal text of a cursor's number part, refused unless it is a safe integer. */
export function cursorNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d{1,16}$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
