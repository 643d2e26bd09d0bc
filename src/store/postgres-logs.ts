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

/** Runs one statement in the transaction and returns its rows. */
export type Query = <R>(sql: string, params?: unknown[]) => Promise<R[]>;

/** Collects parameters and hands back their `$n` placeholders. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Conditions for a term pattern: strpos is a case-sensitive substring test, as SQLite's instr. */
function patternSql(pattern: TermPattern, params: Params): string[] {
  const has = (term: string): string => `strpos(e.message, ${params.add(term)}) > 0`;
  const where = pattern.required.map(has);
  for (const term of pattern.excluded) where.push(`strpos(e.message, ${params.add(term)}) = 0`);
  if (pattern.alternatives.length > 0) {
    where.push(`(${pattern.alternatives.map((group) => `(${group.map(has).join(" AND ")})`).join(" OR ")})`);
  }
  return where;
}

/** Adds `column` within the prefix's range (an index range, as in SQLite). */
function prefixWhere(column: string, prefix: string | undefined, params: Params, where: string[]): void {
  if (prefix === undefined || prefix === "") return;
  where.push(`${column} >= ${params.add(prefix)}`);
  const upper = prefixSuccessor(prefix);
  if (upper !== undefined) where.push(`${column} < ${params.add(upper)}`);
}

export function postgresLogs(q: Query): LogStoreTx {
  const streamId = async (group: string, stream: string): Promise<number | undefined> =>
    (
      await q<{ id: number }>(
        `SELECT s.id FROM log_streams s JOIN log_groups g ON g.id = s.group_id
         WHERE g.name = $1 AND s.name = $2`,
        [group, stream],
      )
    )[0]?.id;

  const groupId = async (group: string): Promise<number | undefined> =>
    (await q<{ id: number }>("SELECT id FROM log_groups WHERE name = $1", [group]))[0]?.id;

  return {
    appendLogEvents: async (group, stream, events, ingestionTime) => {
      checkAppend(group, stream, events, ingestionTime);
      let bytes = 0;
      let low: number | null = null;
      let high: number | null = null;
      for (const e of events) {
        bytes += eventBytes(e.message);
        low = low === null ? e.timestamp : Math.min(low, e.timestamp);
        high = high === null ? e.timestamp : Math.max(high, e.timestamp);
      }
      // Upserts, so two instances appending to a new group at once both end up with the one row.
      const [groupRow] = await q<{ id: number }>(
        `INSERT INTO log_groups (name, creation_time, stored_bytes) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET stored_bytes = log_groups.stored_bytes + EXCLUDED.stored_bytes
         RETURNING id`,
        [group, ingestionTime, bytes],
      );
      const gid = groupRow?.id;
      // LEAST and GREATEST skip NULLs, which is what an empty append needs.
      const [streamRow] = await q<{ id: number }>(
        `INSERT INTO log_streams AS s (group_id, name, creation_time, first_event_timestamp, last_event_timestamp,
           last_ingestion_time, stored_bytes)
         VALUES ($1, $2, $3::bigint, $4::bigint, $5::bigint, CASE WHEN $4::bigint IS NULL THEN NULL ELSE $3::bigint END, $6)
         ON CONFLICT (group_id, name) DO UPDATE SET
           first_event_timestamp = LEAST(s.first_event_timestamp, EXCLUDED.first_event_timestamp),
           last_event_timestamp = GREATEST(s.last_event_timestamp, EXCLUDED.last_event_timestamp),
           last_ingestion_time = coalesce(EXCLUDED.last_ingestion_time, s.last_ingestion_time),
           stored_bytes = s.stored_bytes + EXCLUDED.stored_bytes
         RETURNING id`,
        [gid, stream, ingestionTime, low, high, bytes],
      );
      if (events.length === 0) return;
      // One statement for the batch; WITH ORDINALITY keeps the given order, so seqs follow it.
      await q(
        `INSERT INTO log_events (group_id, stream_id, timestamp, ingestion_time, message)
         SELECT $1, $2, t.ts, $3, t.message
         FROM unnest($4::bigint[], $5::text[]) WITH ORDINALITY AS t (ts, message, n) ORDER BY t.n`,
        [gid, streamRow?.id, ingestionTime, events.map((e) => e.timestamp), events.map((e) => e.message)],
      );
    },

    getLogGroup: async (name) => {
      const [row] = await q<GroupRow>(
        "SELECT name, creation_time, stored_bytes FROM log_groups WHERE name = $1",
        [name],
      );
      return row && toGroup(row);
    },
    describeLogGroups: async ({ prefix, contains, limit, after }) => {
      checkLimit(limit);
      const scope = logCursorScope.groups;
      const params = new Params();
      const where: string[] = [];
      prefixWhere("name", prefix, params, where);
      if (contains !== undefined) where.push(`strpos(name, ${params.add(contains)}) > 0`);
      if (after !== undefined) where.push(`name > ${params.add(decodeCursor(after, scope, 1)[0])}`);
      const rows = await q<GroupRow>(
        `SELECT name, creation_time, stored_bytes FROM log_groups
         ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY name LIMIT ${params.add(limit + 1)}`,
        params.values,
      );
      return pageOfRows(rows, limit, scope, (row) => [row.name], toGroup);
    },

    getLogStream: async (group, name) => {
      const [row] = await q<StreamRow>(
        `SELECT ${STREAM_COLUMNS} FROM log_streams s JOIN log_groups g ON g.id = s.group_id
         WHERE g.name = $1 AND s.name = $2`,
        [group, name],
      );
      return row && toStream(row);
    },
    describeLogStreams: async (group, { prefix, orderBy, descending, limit, after }) => {
      checkLimit(limit);
      const scope = logCursorScope.streams(group, orderBy, descending);
      const byTime = orderBy === "LastEventTime";
      const gid = await groupId(group);
      if (gid === undefined) return { items: [], next: undefined };
      const parts = after === undefined ? undefined : decodeCursor(after, scope, byTime ? 2 : 1);
      const direction = descending ? "DESC" : "ASC";
      const params = new Params();
      const where = [`s.group_id = ${params.add(gid)}`];
      prefixWhere("s.name", prefix, params, where);
      const key = byTime ? "(coalesce(s.last_event_timestamp, -1), s.name)" : "s.name";
      if (parts) {
        const position = byTime
          ? `(${params.add(numberAt(parts, 0))}::bigint, ${params.add(parts[1])}::text)`
          : params.add(parts[0]);
        where.push(`${key} ${descending ? "<" : ">"} ${position}`);
      }
      const order = byTime
        ? `coalesce(s.last_event_timestamp, -1) ${direction}, s.name ${direction}`
        : `s.name ${direction}`;
      const rows = await q<StreamRow>(
        `SELECT ${STREAM_COLUMNS} FROM log_streams s JOIN log_groups g ON g.id = s.group_id
         WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${params.add(limit + 1)}`,
        params.values,
      );
      return pageOfRows(
        rows,
        limit,
        scope,
        (row) => (byTime ? [String(row.last_event_timestamp ?? -1), row.name] : [row.name]),
        toStream,
      );
    },

    getLogEvents: async (group, stream, query) => {
      checkLimit(query.limit);
      const sid = await streamId(group, stream);
      if (sid === undefined) return eventsPage([], query);
      const select = `SELECT seq, timestamp, ingestion_time, message FROM log_events
        WHERE stream_id = $1 AND timestamp >= $2 AND timestamp < $3`;
      const base = [sid, query.startTime ?? Number.MIN_SAFE_INTEGER, query.endTime ?? POSITION_MAX];
      const forward = query.from ? query.from.direction === "forward" : query.startFromHead;
      const at = query.from?.position;
      let rows: Omit<EventRow, "stream">[];
      if (forward) {
        rows = await q(
          `${select} AND (timestamp, seq) >= ($4::bigint, $5::bigint) ORDER BY timestamp, seq LIMIT $6`,
          [...base, at?.timestamp ?? Number.MIN_SAFE_INTEGER, at?.seq ?? 0, query.limit],
        );
      } else {
        const latest = await q<Omit<EventRow, "stream">>(
          `${select} AND (timestamp, seq) < ($4::bigint, $5::bigint) ORDER BY timestamp DESC, seq DESC LIMIT $6`,
          [...base, at?.timestamp ?? POSITION_MAX, at?.seq ?? 0, query.limit],
        );
        rows = latest.reverse();
      }
      return eventsPage(
        rows.map((row) => toEvent({ ...row, stream })),
        query,
      );
    },

    filterLogEvents: async (group, query) => {
      checkLimit(query.limit);
      const descending = query.descending ?? false;
      const scope = logCursorScope.filter(group, descending);
      const from = query.after === undefined ? undefined : decodeCursor(query.after, scope, 2);
      const pattern = query.pattern === undefined ? undefined : parseFilterPattern(query.pattern);
      const gid = await groupId(group);
      if (gid === undefined) return { items: [], next: undefined };
      const params = new Params();
      const where = [`e.group_id = ${params.add(gid)}`];
      if (query.streams !== undefined) where.push(`s.name = ANY(${params.add([...query.streams])}::text[])`);
      prefixWhere("s.name", query.streamPrefix, params, where);
      if (query.startTime !== undefined) where.push(`e.timestamp >= ${params.add(query.startTime)}`);
      if (query.endTime !== undefined) where.push(`e.timestamp < ${params.add(query.endTime)}`);
      if (from) {
        where.push(
          `(e.timestamp, e.seq) ${descending ? "<" : ">"} (${params.add(numberAt(from, 0))}::bigint, ${params.add(numberAt(from, 1))}::bigint)`,
        );
      }
      if (pattern) where.push(...patternSql(pattern, params));
      const direction = descending ? "DESC" : "ASC";
      const rows = await q<EventRow>(
        `SELECT s.name AS stream, e.seq, e.timestamp, e.ingestion_time, e.message
         FROM log_events e JOIN log_streams s ON s.id = e.stream_id
         WHERE ${where.join(" AND ")} ORDER BY e.timestamp ${direction}, e.seq ${direction}
         LIMIT ${params.add(query.limit + 1)}`,
        params.values,
      );
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
