// Log rows of the SQL stores (SQLite and PostgreSQL share the schema), their conversion and cursor parts.
import { InvalidCursor } from "./errors.js";
import { cursorNumber } from "./log-events.js";
import type { LogGroupRecord, LogStreamRecord, StoredLogEvent } from "./port.js";

export interface GroupRow {
  name: string;
  creation_time: number;
  stored_bytes: number;
}

export interface StreamRow {
  group_name: string;
  name: string;
  creation_time: number;
  first_event_timestamp: number | null;
  last_event_timestamp: number | null;
  last_ingestion_time: number | null;
  stored_bytes: number;
}

export interface EventRow {
  stream: string;
  seq: number;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

export const toGroup = (row: GroupRow): LogGroupRecord => ({
  name: row.name,
  creationTime: row.creation_time,
  storedBytes: row.stored_bytes,
});

export const toStream = (row: StreamRow): LogStreamRecord => ({
  group: row.group_name,
  name: row.name,
  creationTime: row.creation_time,
  firstEventTimestamp: row.first_event_timestamp ?? undefined,
  lastEventTimestamp: row.last_event_timestamp ?? undefined,
  lastIngestionTime: row.last_ingestion_time ?? undefined,
  storedBytes: row.stored_bytes,
});

export const toEvent = (row: EventRow): StoredLogEvent => ({
  stream: row.stream,
  timestamp: row.timestamp,
  message: row.message,
  ingestionTime: row.ingestion_time,
  seq: row.seq,
});

export const STREAM_COLUMNS = `g.name AS group_name, s.name, s.creation_time, s.first_event_timestamp,
  s.last_event_timestamp, s.last_ingestion_time, s.stored_bytes`;

export function numberAt(parts: string[], index: number): number {
  const value = cursorNumber(parts[index]);
  if (value === undefined) throw new InvalidCursor();
  return value;
}
