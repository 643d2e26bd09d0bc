// The memory store's invocation logs: groups, streams and events in Maps whose writes the journal can undo.
import { InvalidCursor } from "./errors.js";
import {
  checkAppend,
  comparePosition,
  cursorNumber,
  eventBytes,
  eventsPage,
  logCursorScope,
  matchesPattern,
  parseFilterPattern,
} from "./log-events.js";
import { checkLimit, compareText, decodeCursor, encodeCursor } from "./paging.js";
import type { LogGroupRecord, LogStoreTx, LogStreamRecord, Page, StoredLogEvent } from "./port.js";
import type { SyncTx } from "./tx.js";

type SyncLogTx = Pick<SyncTx, keyof LogStoreTx>;

/** Keys of the stream Map; JSON keeps any character in names from making two keys collide. */
const streamKey = (group: string, stream: string): string => JSON.stringify([group, stream]);

/** Rows sorted by `position`, those strictly after `from` in that order, as one page. */
function pageOf<R, T>(
  rows: R[],
  position: (row: R) => (string | number)[],
  output: (row: R) => T,
  scope: string,
  descending: boolean,
  limit: number,
  from: (string | number)[] | undefined,
): Page<T> {
  checkLimit(limit);
  const compare = (a: (string | number)[], b: (string | number)[]): number => {
    for (let i = 0; i < a.length; i++) {
      const x = a[i] ?? "";
      const y = b[i] ?? "";
      const order =
        typeof x === "number" && typeof y === "number" ? x - y : compareText(String(x), String(y));
      if (order !== 0) return descending ? -order : order;
    }
    return 0;
  };
  const sorted = rows
    .map((row) => ({ row, at: position(row) }))
    .filter(({ at }) => from === undefined || compare(at, from) > 0)
    .sort((a, b) => compare(a.at, b.at));
  const items = sorted.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ row }) => output(row)),
    next: sorted.length > limit && last ? encodeCursor(scope, last.at.map(String)) : undefined,
  };
}

function numberAt(parts: string[], index: number): number {
  const value = cursorNumber(parts[index]);
  if (value === undefined) throw new InvalidCursor();
  return value;
}

/** `record` keeps an undo step in the running transaction's journal. */
export function memoryLogs(record: (undo: () => void) => void): SyncLogTx {
  const groups = new Map<string, LogGroupRecord>();
  const streams = new Map<string, LogStreamRecord>();
  // Per group, in append order; a rollback pops what the transaction pushed.
  const events = new Map<string, StoredLogEvent[]>();
  let seq = 0;

  const replace = <K, V>(map: Map<K, V>, key: K, value: V): void => {
    const old = map.get(key);
    record(() => (old === undefined ? map.delete(key) : map.set(key, old)));
    map.set(key, value);
  };

  const eventsOf = (group: string): StoredLogEvent[] => {
    let list = events.get(group);
    if (!list) {
      const created: StoredLogEvent[] = [];
      list = created;
      events.set(group, created);
      record(() => events.delete(group));
    }
    return list;
  };

  return {
    appendLogEvents: (group, stream, input, ingestionTime) => {
      checkAppend(group, stream, input, ingestionTime);
      const bytes = input.reduce((sum, e) => sum + eventBytes(e.message), 0);
      const oldGroup = groups.get(group);
      replace(groups, group, {
        name: group,
        creationTime: oldGroup?.creationTime ?? ingestionTime,
        storedBytes: (oldGroup?.storedBytes ?? 0) + bytes,
      });
      const key = streamKey(group, stream);
      const old = streams.get(key);
      let low: number | undefined;
      let high: number | undefined;
      for (const e of input) {
        low = low === undefined ? e.timestamp : Math.min(low, e.timestamp);
        high = high === undefined ? e.timestamp : Math.max(high, e.timestamp);
      }
      const pick = (a: number | undefined, b: number | undefined, f: (x: number, y: number) => number) =>
        a === undefined ? b : b === undefined ? a : f(a, b);
      replace(streams, key, {
        group,
        name: stream,
        creationTime: old?.creationTime ?? ingestionTime,
        firstEventTimestamp: pick(old?.firstEventTimestamp, low, Math.min),
        lastEventTimestamp: pick(old?.lastEventTimestamp, high, Math.max),
        lastIngestionTime: input.length ? ingestionTime : old?.lastIngestionTime,
        storedBytes: (old?.storedBytes ?? 0) + bytes,
      });
      if (input.length === 0) return;
      const list = eventsOf(group);
      const before = seq;
      record(() => {
        list.length -= input.length;
        seq = before;
      });
      for (const e of input) {
        list.push({ stream, timestamp: e.timestamp, message: e.message, ingestionTime, seq: ++seq });
      }
    },

    getLogGroup: (name) => {
      const group = groups.get(name);
      return group && { ...group };
    },
    describeLogGroups: ({ prefix, contains, limit, after }) => {
      const scope = logCursorScope.groups;
      const from = after === undefined ? undefined : decodeCursor(after, scope, 1);
      const rows = [...groups.values()].filter(
        (g) =>
          (prefix === undefined || g.name.startsWith(prefix)) &&
          (contains === undefined || g.name.includes(contains)),
      );
      return pageOf(
        rows,
        (g) => [g.name],
        (g) => ({ ...g }),
        scope,
        false,
        limit,
        from,
      );
    },

    getLogStream: (group, name) => {
      const stream = streams.get(streamKey(group, name));
      return stream && { ...stream };
    },
    describeLogStreams: (group, { prefix, orderBy, descending, limit, after }) => {
      const scope = logCursorScope.streams(group, orderBy, descending);
      const byTime = orderBy === "LastEventTime";
      let from: (string | number)[] | undefined;
      if (after !== undefined) {
        const parts = decodeCursor(after, scope, byTime ? 2 : 1);
        from = byTime ? [numberAt(parts, 0), parts[1] ?? ""] : parts;
      }
      const rows = [...streams.values()].filter(
        (s) => s.group === group && (prefix === undefined || s.name.startsWith(prefix)),
      );
      return pageOf(
        rows,
        (s) => (byTime ? [s.lastEventTimestamp ?? -1, s.name] : [s.name]),
        (s) => ({ ...s }),
        scope,
        descending,
        limit,
        from,
      );
    },

    getLogEvents: (group, stream, query) => {
      checkLimit(query.limit);
      const start = query.startTime ?? Number.MIN_SAFE_INTEGER;
      const end = query.endTime ?? Number.MAX_SAFE_INTEGER;
      const inRange = (events.get(group) ?? [])
        .filter((e) => e.stream === stream && e.timestamp >= start && e.timestamp < end)
        .sort(comparePosition);
      const from = query.from;
      let read: StoredLogEvent[];
      if (from?.direction === "forward") {
        read = inRange.filter((e) => comparePosition(e, from.position) >= 0).slice(0, query.limit);
      } else if (from?.direction === "backward") {
        read = inRange.filter((e) => comparePosition(e, from.position) < 0).slice(-query.limit);
      } else {
        read = query.startFromHead ? inRange.slice(0, query.limit) : inRange.slice(-query.limit);
      }
      return eventsPage(
        read.map((e) => ({ ...e })),
        query,
      );
    },

    filterLogEvents: (group, query) => {
      const descending = query.descending ?? false;
      const scope = logCursorScope.filter(group, descending);
      let from: number[] | undefined;
      if (query.after !== undefined) {
        const parts = decodeCursor(query.after, scope, 2);
        from = [numberAt(parts, 0), numberAt(parts, 1)];
      }
      const pattern = query.pattern === undefined ? undefined : parseFilterPattern(query.pattern);
      const names = query.streams === undefined ? undefined : new Set(query.streams);
      const start = query.startTime ?? Number.MIN_SAFE_INTEGER;
      const end = query.endTime ?? Number.MAX_SAFE_INTEGER;
      const rows = (events.get(group) ?? []).filter(
        (e) =>
          e.timestamp >= start &&
          e.timestamp < end &&
          (names === undefined || names.has(e.stream)) &&
          (query.streamPrefix === undefined || e.stream.startsWith(query.streamPrefix)) &&
          (pattern === undefined || matchesPattern(e.message, pattern)),
      );
      return pageOf(
        rows,
        (e) => [e.timestamp, e.seq],
        (e) => ({ ...e }),
        scope,
        descending,
        query.limit,
        from,
      );
    },
  };
}
