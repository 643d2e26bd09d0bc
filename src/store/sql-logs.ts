// The invocation-log operations (CloudWatch Logs' read model), written once for SQLite and PostgreSQL.
import { InvalidCursor } from "./errors.js";
import {
  checkAppend,
  cursorNumber,
  eventBytes,
  eventsPage,
  logCursorScope,
  POSITION_MAX,
  parseFilterPattern,
  type TermPattern,
} from "./log-events.js";
import { checkLimit, decodeCursor, pageOf, prefixSuccessor } from "./paging.js";
import type {
  LogEventInput,
  LogEventsPage,
  LogEventsQuery,
  LogFilterQuery,
  LogGroupRecord,
  LogStoreTx,
  LogStreamQuery,
  LogStreamRecord,
  Page,
  StoredLogEvent,
} from "./port.js";
import { insertRows, type Sql } from "./sql.js";

interface GroupRow {
  name: string;
  creation_time: number;
  stored_bytes: number;
}

interface StreamRow {
  group_name: string;
  name: string;
  creation_time: number;
  first_event_timestamp: number | null;
  last_event_timestamp: number | null;
  last_ingestion_time: number | null;
  stored_bytes: number;
}

interface EventRow {
  stream: string;
  seq: number;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

const toGroup = (row: GroupRow): LogGroupRecord => ({
  name: row.name,
  creationTime: row.creation_time,
  storedBytes: row.stored_bytes,
});

const toStream = (row: StreamRow): LogStreamRecord => ({
  group: row.group_name,
  name: row.name,
  creationTime: row.creation_time,
  firstEventTimestamp: row.first_event_timestamp ?? undefined,
  lastEventTimestamp: row.last_event_timestamp ?? undefined,
  lastIngestionTime: row.last_ingestion_time ?? undefined,
  storedBytes: row.stored_bytes,
});

const toEvent = (row: EventRow): StoredLogEvent => ({
  stream: row.stream,
  timestamp: row.timestamp,
  message: row.message,
  ingestionTime: row.ingestion_time,
  seq: row.seq,
});

function numberAt(parts: string[], index: number): number {
  const value = cursorNumber(parts[index]);
  if (value === undefined) throw new InvalidCursor();
  return value;
}

const STREAMS = `SELECT g.name AS group_name, s.name, s.creation_time, s.first_event_timestamp,
  s.last_event_timestamp, s.last_ingestion_time, s.stored_bytes
  FROM log_streams s JOIN log_groups g ON g.id = s.group_id`;

const EVENTS = `SELECT seq, timestamp, ingestion_time, message FROM log_events
  WHERE stream_id = ? AND timestamp >= ? AND timestamp < ?`;

// An empty batch leaves the times as they are; min and max must skip NULLs, which SQLite's min() does not.
const UPSERT_STREAM = `INSERT INTO log_streams AS s (group_id, name, creation_time, first_event_timestamp,
    last_event_timestamp, last_ingestion_time, stored_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (group_id, name) DO UPDATE SET
    first_event_timestamp = coalesce(CASE WHEN excluded.first_event_timestamp < s.first_event_timestamp
      THEN excluded.first_event_timestamp ELSE s.first_event_timestamp END, excluded.first_event_timestamp),
    last_event_timestamp = coalesce(CASE WHEN excluded.last_event_timestamp > s.last_event_timestamp
      THEN excluded.last_event_timestamp ELSE s.last_event_timestamp END, excluded.last_event_timestamp),
    last_ingestion_time = coalesce(excluded.last_ingestion_time, s.last_ingestion_time),
    stored_bytes = s.stored_bytes + excluded.stored_bytes
  RETURNING id`;

// Purged events stop counting in storedBytes, as CloudWatch's expired events do.
const UNCOUNT = (table: string, column: string) => `UPDATE ${table}
  SET stored_bytes = stored_bytes - (SELECT sum(octet_length(e.message) + 26) FROM log_events e
    WHERE e.${column} = ${table}.id AND e.timestamp < ?)
  WHERE id IN (SELECT ${column} FROM log_events WHERE timestamp < ?)`;
const UNCOUNT_STREAMS = UNCOUNT("log_streams", "stream_id");
const UNCOUNT_GROUPS = UNCOUNT("log_groups", "group_id");

/** Adds `column` within the prefix's range, which an index can serve. */
function prefixWhere(column: string, prefix: string | undefined, where: string[], params: unknown[]): void {
  if (prefix === undefined || prefix === "") return;
  where.push(`${column} >= ?`);
  params.push(prefix);
  const upper = prefixSuccessor(prefix);
  if (upper === undefined) return;
  where.push(`${column} < ?`);
  params.push(upper);
}

export class SqlLogTx implements LogStoreTx {
  constructor(protected readonly sql: Sql) {}

  async #groupId(group: string): Promise<number | undefined> {
    return (await this.sql.get<{ id: number }>("SELECT id FROM log_groups WHERE name = ?", [group]))?.id;
  }

  /** Case-sensitive substring tests of the term pattern, on the event message. */
  #patternWhere(pattern: TermPattern, where: string[], params: unknown[]): void {
    const has = (term: string, found = true): string => {
      params.push(term);
      return `${this.sql.dialect.strpos}(e.message, ?) ${found ? ">" : "="} 0`;
    };
    where.push(...pattern.required.map((term) => has(term)));
    where.push(...pattern.excluded.map((term) => has(term, false)));
    if (pattern.alternatives.length > 0) {
      const any = pattern.alternatives.map((group) => `(${group.map((term) => has(term)).join(" AND ")})`);
      where.push(`(${any.join(" OR ")})`);
    }
  }

  async appendLogEvents(
    group: string,
    stream: string,
    events: readonly LogEventInput[],
    ingestionTime: number,
  ): Promise<void> {
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
    const gid = (
      await this.sql.get<{ id: number }>(
        `INSERT INTO log_groups (name, creation_time, stored_bytes) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET stored_bytes = log_groups.stored_bytes + excluded.stored_bytes
         RETURNING id`,
        [group, ingestionTime, bytes],
      )
    )?.id;
    const sid = (
      await this.sql.get<{ id: number }>(UPSERT_STREAM, [
        gid,
        stream,
        ingestionTime,
        low,
        high,
        low === null ? null : ingestionTime,
        bytes,
      ])
    )?.id;
    // Rows in the given order, so seqs follow it.
    await insertRows(
      this.sql,
      "INSERT INTO log_events (group_id, stream_id, timestamp, ingestion_time, message)",
      events.map((e) => [gid, sid, e.timestamp, ingestionTime, e.message]),
    );
  }

  async getLogGroup(name: string): Promise<LogGroupRecord | undefined> {
    const row = await this.sql.get<GroupRow>(
      "SELECT name, creation_time, stored_bytes FROM log_groups WHERE name = ?",
      [name],
    );
    return row && toGroup(row);
  }

  async describeLogGroups(query: {
    prefix?: string | undefined;
    contains?: string | undefined;
    limit: number;
    after: string | undefined;
  }): Promise<Page<LogGroupRecord>> {
    const { prefix, contains, limit, after } = query;
    checkLimit(limit);
    const scope = logCursorScope.groups;
    const where = ["true"];
    const params: unknown[] = [];
    prefixWhere("name", prefix, where, params);
    if (contains !== undefined) {
      where.push(`${this.sql.dialect.strpos}(name, ?) > 0`);
      params.push(contains);
    }
    if (after !== undefined) {
      where.push("name > ?");
      params.push(decodeCursor(after, scope, 1)[0]);
    }
    const rows = await this.sql.all<GroupRow>(
      `SELECT name, creation_time, stored_bytes FROM log_groups WHERE ${where.join(" AND ")}
       ORDER BY name LIMIT ?`,
      [...params, limit + 1],
    );
    return pageOf(rows, limit, scope, (row) => [row.name], toGroup);
  }

  async getLogStream(group: string, name: string): Promise<LogStreamRecord | undefined> {
    const row = await this.sql.get<StreamRow>(`${STREAMS} WHERE g.name = ? AND s.name = ?`, [group, name]);
    return row && toStream(row);
  }

  async describeLogStreams(group: string, query: LogStreamQuery): Promise<Page<LogStreamRecord>> {
    const { prefix, orderBy, descending, limit, after } = query;
    checkLimit(limit);
    const scope = logCursorScope.streams(group, orderBy, descending);
    const byTime = orderBy === "LastEventTime";
    const parts = after === undefined ? undefined : decodeCursor(after, scope, byTime ? 2 : 1);
    const gid = await this.#groupId(group);
    if (gid === undefined) return { items: [], next: undefined };
    const where = ["s.group_id = ?"];
    const params: unknown[] = [gid];
    prefixWhere("s.name", prefix, where, params);
    const time = "coalesce(s.last_event_timestamp, -1)";
    if (parts) {
      const op = descending ? "<" : ">";
      where.push(byTime ? `(${time}, s.name) ${op} (?, ?)` : `s.name ${op} ?`);
      params.push(...(byTime ? [numberAt(parts, 0), parts[1]] : [parts[0]]));
    }
    const direction = descending ? "DESC" : "ASC";
    const order = byTime ? `${time} ${direction}, s.name ${direction}` : `s.name ${direction}`;
    const rows = await this.sql.all<StreamRow>(
      `${STREAMS} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`,
      [...params, limit + 1],
    );
    const position = (row: StreamRow) =>
      byTime ? [String(row.last_event_timestamp ?? -1), row.name] : [row.name];
    return pageOf(rows, limit, scope, position, toStream);
  }

  async getLogEvents(group: string, stream: string, query: LogEventsQuery): Promise<LogEventsPage> {
    checkLimit(query.limit);
    const sid = (
      await this.sql.get<{ id: number }>(
        "SELECT s.id FROM log_streams s JOIN log_groups g ON g.id = s.group_id WHERE g.name = ? AND s.name = ?",
        [group, stream],
      )
    )?.id;
    if (sid === undefined) return eventsPage([], query);
    const range = [sid, query.startTime ?? Number.MIN_SAFE_INTEGER, query.endTime ?? POSITION_MAX];
    const forward = query.from ? query.from.direction === "forward" : query.startFromHead;
    const at = query.from?.position;
    const rows = forward
      ? await this.sql.all<Omit<EventRow, "stream">>(
          `${EVENTS} AND (timestamp, seq) >= (?, ?) ORDER BY timestamp, seq LIMIT ?`,
          [...range, at?.timestamp ?? Number.MIN_SAFE_INTEGER, at?.seq ?? 0, query.limit],
        )
      : (
          await this.sql.all<Omit<EventRow, "stream">>(
            `${EVENTS} AND (timestamp, seq) < (?, ?) ORDER BY timestamp DESC, seq DESC LIMIT ?`,
            [...range, at?.timestamp ?? POSITION_MAX, at?.seq ?? 0, query.limit],
          )
        ).reverse();
    return eventsPage(
      rows.map((row) => toEvent({ ...row, stream })),
      query,
    );
  }

  async filterLogEvents(group: string, query: LogFilterQuery): Promise<Page<StoredLogEvent>> {
    checkLimit(query.limit);
    const descending = query.descending ?? false;
    const scope = logCursorScope.filter(group, descending);
    const from = query.after === undefined ? undefined : decodeCursor(query.after, scope, 2);
    const pattern = query.pattern === undefined ? undefined : parseFilterPattern(query.pattern);
    const gid = await this.#groupId(group);
    if (gid === undefined) return { items: [], next: undefined };
    const where = ["e.group_id = ?"];
    const params: unknown[] = [gid];
    if (query.streams !== undefined) {
      where.push(`s.name IN (SELECT value FROM ${this.sql.dialect.jsonStrings})`);
      params.push(JSON.stringify(query.streams));
    }
    prefixWhere("s.name", query.streamPrefix, where, params);
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
    if (pattern) this.#patternWhere(pattern, where, params);
    const direction = descending ? "DESC" : "ASC";
    const rows = await this.sql.all<EventRow>(
      `SELECT s.name AS stream, e.seq, e.timestamp, e.ingestion_time, e.message
       FROM log_events e JOIN log_streams s ON s.id = e.stream_id
       WHERE ${where.join(" AND ")} ORDER BY e.timestamp ${direction}, e.seq ${direction} LIMIT ?`,
      [...params, query.limit + 1],
    );
    const position = (row: EventRow) => [String(row.timestamp), String(row.seq)];
    return pageOf(rows, query.limit, scope, position, toEvent);
  }

  /**
   * Deletes events older than `before` and takes their bytes off their streams and groups. Streams and
   * groups stay, as in CloudWatch, where retention expires events but a stream goes only by DeleteLogStream
   * (a `logs --follow` on a quiet function keeps its stream).
   */
  protected async purgeLogEvents(before: number): Promise<number> {
    await this.sql.run(UNCOUNT_STREAMS, [before, before]);
    await this.sql.run(UNCOUNT_GROUPS, [before, before]);
    return this.sql.run("DELETE FROM log_events WHERE timestamp < ?", [before]);
  }
}
