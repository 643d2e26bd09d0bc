import {
  checkAppend,
  eventBytes,
  eventsPage,
  logCursorScope,
  POSITION_MAX,
  parseFilterPattern,
  type TermPattern,
} from "./log-events.js";
import { checkLimit, decodeCursor, encodeCursor, prefixSuccessor } from "./paging.js";
import type { LogStoreTx, Page } from "./port.js";
import {
  type EventRow,
  type GroupRow,
  numberAt,
  STREAM_COLUMNS,
  type StreamRow,
  toEvent,
  toGroup,
  toStream,
} from "./sql-log-rows.js";
import type { Statement } from "./sqlite-driver.js";
import type { SyncTx } from "./tx.js";

type SyncLogTx = Pick<SyncTx, keyof LogStoreTx>;

/**
 * Schema step 2. Events point at integer ids rather than repeating the names; nothing is ever deleted,
 * so the foreign keys only guard against a bug. AUTOINCREMENT: a seq is never handed out twice, even
 * after a rollback, so event ids stay unique.
 */
export const LOGS_MIGRATION = `
  CREATE TABLE log_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    creation_time INTEGER NOT NULL,
    stored_bytes INTEGER NOT NULL
  );
  CREATE TABLE log_streams (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES log_groups (id),
    name TEXT NOT NULL,
    creation_time INTEGER NOT NULL,
    first_event_timestamp INTEGER,
    last_event_timestamp INTEGER,
    last_ingestion_time INTEGER,
    stored_bytes INTEGER NOT NULL,
    UNIQUE (group_id, name)
  );
  CREATE INDEX log_streams_by_last_event ON log_streams (group_id, coalesce(last_event_timestamp, -1), name);
  CREATE TABLE log_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES log_groups (id),
    stream_id INTEGER NOT NULL REFERENCES log_streams (id),
    timestamp INTEGER NOT NULL,
    ingestion_time INTEGER NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX log_events_by_stream ON log_events (stream_id, timestamp, seq);
  CREATE INDEX log_events_by_group ON log_events (group_id, timestamp, seq);
`;

/** SQL conditions (and their parameters) for a term pattern: instr is a case-sensitive substring test. */
function patternSql(pattern: TermPattern, params: unknown[]): string[] {
  const has = (term: string): string => {
    params.push(term);
    return "instr(e.message, ?) > 0";
  };
  const where = pattern.required.map(has);
  for (const term of pattern.excluded) {
    params.push(term);
    where.push("instr(e.message, ?) = 0");
  }
  if (pattern.alternatives.length > 0) {
    where.push(`(${pattern.alternatives.map((group) => `(${group.map(has).join(" AND ")})`).join(" OR ")})`);
  }
  return where;
}

/** `q` prepares (and caches) a statement of the store's one connection. */
export function sqliteLogs(q: (sql: string) => Statement): SyncLogTx {
  const streamId = (group: string, stream: string): number | undefined =>
    (
      q(
        `SELECT s.id FROM log_streams s JOIN log_groups g ON g.id = s.group_id
         WHERE g.name = ? AND s.name = ?`,
      ).get(group, stream) as { id: number } | undefined
    )?.id;

  const groupId = (group: string): number | undefined =>
    (q("SELECT id FROM log_groups WHERE name = ?").get(group) as { id: number } | undefined)?.id;

  return {
    appendLogEvents: (group, stream, events, ingestionTime) => {
      checkAppend(group, stream, events, ingestionTime);
      let bytes = 0;
      let low: number | null = null;
      let high: number | null = null;
      for (const e of events) {
        bytes += eventBytes(e.message);
        low = low === null ? e.timestamp : Math.min(low, e.timestamp);
        high = high === null ? e.timestamp : Math.max(high, e.timestamp);
      }
      const { id: gid } = q(
        `INSERT INTO log_groups (name, creation_time, stored_bytes) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET stored_bytes = stored_bytes + excluded.stored_bytes
         RETURNING id`,
      ).get(group, ingestionTime, bytes) as { id: number };
      // min/max of SQLite return NULL when either side is NULL, hence the CASEs for empty streams.
      const { id: sid } = q(
        `INSERT INTO log_streams (group_id, name, creation_time, first_event_timestamp, last_event_timestamp,
           last_ingestion_time, stored_bytes)
         VALUES (@gid, @name, @now, @low, @high, CASE WHEN @low IS NULL THEN NULL ELSE @now END, @bytes)
         ON CONFLICT (group_id, name) DO UPDATE SET
           first_event_timestamp = CASE WHEN excluded.first_event_timestamp IS NULL THEN first_event_timestamp
             WHEN first_event_timestamp IS NULL THEN excluded.first_event_timestamp
             ELSE min(first_event_timestamp, excluded.first_event_timestamp) END,
           last_event_timestamp = CASE WHEN excluded.last_event_timestamp IS NULL THEN last_event_timestamp
             WHEN last_event_timestamp IS NULL THEN excluded.last_event_timestamp
             ELSE max(last_event_timestamp, excluded.last_event_timestamp) END,
           last_ingestion_time = coalesce(excluded.last_ingestion_time, last_ingestion_time),
           stored_bytes = stored_bytes + excluded.stored_bytes
         RETURNING id`,
      ).get({ gid, name: stream, now: ingestionTime, low, high, bytes }) as { id: number };
      const insert = q(
        "INSERT INTO log_events (group_id, stream_id, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)",
      );
      for (const e of events) insert.run(gid, sid, e.timestamp, ingestionTime, e.message);
    },

    getLogGroup: (name) => {
      const row = q("SELECT name, creation_time, stored_bytes FROM log_groups WHERE name = ?").get(name) as
        | GroupRow
        | undefined;
      return row && toGroup(row);
    },
    describeLogGroups: ({ prefix, contains, limit, after }) => {
      checkLimit(limit);
      const scope = logCursorScope.groups;
      const where: string[] = [];
      const params: unknown[] = [];
      if (prefix !== undefined && prefix !== "") {
        where.push("name >= ?");
        params.push(prefix);
        const upper = prefixSuccessor(prefix);
        if (upper !== undefined) {
          where.push("name < ?");
          params.push(upper);
        }
      }
      if (contains !== undefined) {
        where.push("instr(name, ?) > 0");
        params.push(contains);
      }
      if (after !== undefined) {
        where.push("name > ?");
        params.push(decodeCursor(after, scope, 1)[0]);
      }
      const rows = q(
        `SELECT name, creation_time, stored_bytes FROM log_groups
         ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY name LIMIT ?`,
      ).all(...params, limit + 1) as GroupRow[];
      return pageOfRows(rows, limit, scope, (row) => [row.name], toGroup);
    },

    getLogStream: (group, name) => {
      const row = q(
        `SELECT ${STREAM_COLUMNS} FROM log_streams s JOIN log_groups g ON g.id = s.group_id
         WHERE g.name = ? AND s.name = ?`,
      ).get(group, name) as StreamRow | undefined;
      return row && toStream(row);
    },
    describeLogStreams: (group, { prefix, orderBy, descending, limit, after }) => {
      checkLimit(limit);
      const scope = logCursorScope.streams(group, orderBy, descending);
      const gid = groupId(group);
      if (gid === undefined) return { items: [], next: undefined };
      const byTime = orderBy === "LastEventTime";
      const direction = descending ? "DESC" : "ASC";
      const where = ["s.group_id = ?"];
      const params: unknown[] = [gid];
      if (prefix !== undefined && prefix !== "") {
        where.push("s.name >= ?");
        params.push(prefix);
        const upper = prefixSuccessor(prefix);
        if (upper !== undefined) {
          where.push("s.name < ?");
          params.push(upper);
        }
      }
      const key = byTime ? "(coalesce(s.last_event_timestamp, -1), s.name)" : "s.name";
      if (after !== undefined) {
        const parts = decodeCursor(after, scope, byTime ? 2 : 1);
        where.push(`${key} ${descending ? "<" : ">"} ${byTime ? "(?, ?)" : "?"}`);
        params.push(...(byTime ? [numberAt(parts, 0), parts[1]] : [parts[0]]));
      }
      const order = byTime
        ? `coalesce(s.last_event_timestamp, -1) ${direction}, s.name ${direction}`
        : `s.name ${direction}`;
      const rows = q(
        `SELECT ${STREAM_COLUMNS} FROM log_streams s JOIN log_groups g ON g.id = s.group_id
         WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`,
      ).all(...params, limit + 1) as StreamRow[];
      return pageOfRows(
        rows,
        limit,
        scope,
        (row) => (byTime ? [String(row.last_event_timestamp ?? -1), row.name] : [row.name]),
        toStream,
      );
    },

    getLogEvents: (group, stream, query) => {
      checkLimit(query.limit);
      const sid = streamId(group, stream);
      if (sid === undefined) return eventsPage([], query);
      const params = {
        sid,
        start: query.startTime ?? Number.MIN_SAFE_INTEGER,
        end: query.endTime ?? POSITION_MAX,
        limit: query.limit,
      };
      const select = `SELECT seq, timestamp, ingestion_time, message FROM log_events
        WHERE stream_id = @sid AND timestamp >= @start AND timestamp < @end`;
      const forward = query.from ? query.from.direction === "forward" : query.startFromHead;
      const at = query.from?.position;
      let rows: Omit<EventRow, "stream">[];
      if (forward) {
        rows = q(`${select} AND (timestamp, seq) >= (@ts, @seq) ORDER BY timestamp, seq LIMIT @limit`).all({
          ...params,
          ts: at?.timestamp ?? Number.MIN_SAFE_INTEGER,
          seq: at?.seq ?? 0,
        }) as EventRow[];
      } else {
        const latest = q(
          `${select} AND (timestamp, seq) < (@ts, @seq) ORDER BY timestamp DESC, seq DESC LIMIT @limit`,
        ).all({ ...params, ts: at?.timestamp ?? POSITION_MAX, seq: at?.seq ?? 0 }) as EventRow[];
        rows = latest.reverse();
      }
      return eventsPage(
        rows.map((row) => toEvent({ ...row, stream })),
        query,
      );
    },

    filterLogEvents: (group, query) => {
      checkLimit(query.limit);
      const descending = query.descending ?? false;
      const scope = logCursorScope.filter(group, descending);
      const from = query.after === undefined ? undefined : decodeCursor(query.after, scope, 2);
      const pattern = query.pattern === undefined ? undefined : parseFilterPattern(query.pattern);
      const gid = groupId(group);
      if (gid === undefined) return { items: [], next: undefined };
      const params: unknown[] = [gid];
      const where = ["e.group_id = ?"];
      if (query.streams !== undefined) {
        where.push("s.name IN (SELECT value FROM json_each(?))");
        params.push(JSON.stringify(query.streams));
      }
      if (query.streamPrefix !== undefined && query.streamPrefix !== "") {
        where.push("s.name >= ?");
        params.push(query.streamPrefix);
        const upper = prefixSuccessor(query.streamPrefix);
        if (upper !== undefined) {
          where.push("s.name < ?");
          params.push(upper);
        }
      }
      if (query.startTime !== undefined) {
        where.push("e.timestamp >= ?");
        params.push(query.startTime);
      }
      if (query.endTime !== undefined) {
        where.push("e.timestamp < ?");
        params.push(query.endTime);
      }
      if (from) {
        where.push(`(e.timestamp, e.seq) ${descending ? "<" : ">"} (?, ?)`);
        params.push(numberAt(from, 0), numberAt(from, 1));
      }
      if (pattern) where.push(...patternSql(pattern, params));
      const direction = descending ? "DESC" : "ASC";
      const rows = q(
        `SELECT s.name AS stream, e.seq, e.timestamp, e.ingestion_time, e.message
         FROM log_events e JOIN log_streams s ON s.id = e.stream_id
         WHERE ${where.join(" AND ")} ORDER BY e.timestamp ${direction}, e.seq ${direction} LIMIT ?`,
      ).all(...params, query.limit + 1) as EventRow[];
      return pageOfRows(rows, query.limit, scope, (row) => [String(row.timestamp), String(row.seq)], toEvent);
    },
  };
}

/** Rows read with `limit + 1`, so that `next` is only given when another page really exists. */
function pageOfRows<R, T>(
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
