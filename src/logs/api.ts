// The CloudWatch Logs read API (JSON 1.1, `Logs_20140328.*`) over the invocation logs in the store.
import { AwsError, invalidParameter, resourceNotFound } from "../shared/aws-error.js";
import type { Clock } from "../shared/clock.js";
import { bool, int, list, serializationError, str, validate } from "../shared/validation.js";
import { InvalidCursor } from "../store/errors.js";
import { filterCursorDirection, InvalidFilterPattern, parseFilterPattern } from "../store/log-events.js";
import type {
  LogGroupRecord,
  LogPosition,
  LogStoreTx,
  LogStreamRecord,
  Store,
  StoredLogEvent,
} from "../store/port.js";

export const LOGS_TARGET_PREFIX = "Logs_20140328.";

/** The operations served; every other `Logs_20140328.*` target is refused. */
export const LOGS_ACTIONS = ["DescribeLogGroups", "DescribeLogStreams", "GetLogEvents", "FilterLogEvents"];

export interface LogsApiDeps {
  store: Store;
  clock: Clock;
  /** Region and account of the ARNs; the server passes its own config. Default us-east-1, 000000000000. */
  config?: { region: string; accountId: string } | undefined;
}

const GROUP_NOT_FOUND = "The specified log group does not exist.";
const STREAM_NOT_FOUND = "The specified log stream does not exist.";
const INVALID_TOKEN = "The specified nextToken is invalid.";
const GROUP_PARAMETERS = "You must include either logGroupIdentifier or logGroupName, but not both.";
/** FilterLogEvents reads newest first only for startTime on or after this (2024-01-01T00:00:00Z). */
const NEWEST_FIRST_SINCE = Date.UTC(2024, 0, 1);

const LOG_GROUP_NAME = str({
  min: 1,
  max: 512,
  pattern: /^[.\-_/#A-Za-z0-9]+$/,
  patternText: "[\\.\\-_/#A-Za-z0-9]+",
});
const LOG_GROUP_IDENTIFIER = str({
  min: 1,
  max: 2048,
  pattern: /^[\w#+=/:,.@-]*$/,
  patternText: "[\\w#+=/:,.@-]*",
});
const LOG_STREAM_NAME = (required = false) =>
  str({ required, min: 1, max: 512, pattern: /^[^:*]*$/, patternText: "[^:*]*" });
const NEXT_TOKEN = str({ min: 1 });
const TIMESTAMP = int({ min: 0 });
const DESCRIBE_LIMIT = int({ min: 1, max: 50 });
const EVENTS_LIMIT = int({ min: 1, max: 10000 });

type Input = Record<string, unknown>;

/**
 * Runs one Logs action. `name` is the operation (`GetLogEvents`) or the whole target
 * (`Logs_20140328.GetLogEvents`). Throws AwsError with CloudWatch's exception names.
 */
export async function handleLogsAction(name: string, input: unknown, deps: LogsApiDeps): Promise<unknown> {
  const action = name.startsWith(LOGS_TARGET_PREFIX) ? name.slice(LOGS_TARGET_PREFIX.length) : name;
  if (!LOGS_ACTIONS.includes(action)) {
    throw new AwsError(
      "UnsupportedOperationException",
      `${action} is not supported by cognito-triggers: the local edge serves the CloudWatch Logs read API (${LOGS_ACTIONS.join(", ")}).`,
    );
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw serializationError("Start of structure or map found where not expected.");
  }
  const arns = new Arns(deps.config?.region ?? "us-east-1", deps.config?.accountId ?? "000000000000");
  const request = input as Input;
  switch (action) {
    case "DescribeLogGroups":
      return describeLogGroups(request, deps.store, arns);
    case "DescribeLogStreams":
      return describeLogStreams(request, deps.store, arns);
    case "GetLogEvents":
      return getLogEvents(request, deps.store);
    default:
      return filterLogEvents(request, deps.store);
  }
}

class Arns {
  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  group(name: string): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}`;
  }

  stream(group: string, name: string): string {
    return `${this.group(group)}:log-stream:${name}`;
  }
}

/** Store paging and pattern failures, as CloudWatch reports them. */
async function read<T>(store: Store, work: (tx: LogStoreTx) => Promise<T>): Promise<T> {
  try {
    return await store.transaction(work);
  } catch (error) {
    if (error instanceof InvalidCursor) throw invalidParameter(INVALID_TOKEN);
    if (error instanceof InvalidFilterPattern) throw invalidParameter(error.message);
    throw error;
  }
}

/** `logGroupName` or `logGroupIdentifier` (a name or an ARN, with or without the trailing `:*`). */
function groupNameOf(request: { logGroupName?: string; logGroupIdentifier?: string }): string {
  const { logGroupName, logGroupIdentifier } = request;
  if ((logGroupName === undefined) === (logGroupIdentifier === undefined)) {
    throw invalidParameter(GROUP_PARAMETERS);
  }
  if (logGroupName !== undefined) return logGroupName;
  const arn = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(logGroupIdentifier ?? "");
  return arn?.[1] ?? logGroupIdentifier ?? "";
}

async function requireGroup(tx: LogStoreTx, name: string): Promise<LogGroupRecord> {
  const group = await tx.getLogGroup(name);
  if (!group) throw resourceNotFound(GROUP_NOT_FOUND);
  return group;
}

async function describeLogGroups(input: Input, store: Store, arns: Arns): Promise<unknown> {
  const request = validate<{
    logGroupNamePrefix?: string;
    logGroupNamePattern?: string;
    logGroupIdentifiers?: string[];
    logGroupClass?: string;
    nextToken?: string;
    limit?: number;
  }>(input, {
    logGroupNamePrefix: LOG_GROUP_NAME,
    logGroupNamePattern: str({
      max: 512,
      pattern: /^[.\-_/#A-Za-z0-9]*$/,
      patternText: "[\\.\\-_/#A-Za-z0-9]*",
    }),
    logGroupIdentifiers: list(LOG_GROUP_IDENTIFIER, { min: 1, max: 50 }),
    logGroupClass: str({ enum: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"] }),
    nextToken: NEXT_TOKEN,
    limit: DESCRIBE_LIMIT,
    includeLinkedAccounts: bool(),
    accountIdentifiers: list(str({ min: 12, max: 12 }), { max: 20 }),
  });
  if (request.logGroupNamePrefix !== undefined && request.logGroupNamePattern !== undefined) {
    throw invalidParameter(
      "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
    );
  }
  if (
    request.logGroupIdentifiers !== undefined &&
    (request.logGroupNamePrefix !== undefined || request.logGroupNamePattern !== undefined)
  ) {
    throw invalidParameter(
      "logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.",
    );
  }
  // Every group here is a Standard one.
  const none = request.logGroupClass !== undefined && request.logGroupClass !== "STANDARD";
  const { items, next } = await read(store, async (tx) => {
    if (none) return { items: [], next: undefined };
    if (request.logGroupIdentifiers !== undefined) {
      const names = [
        ...new Set(request.logGroupIdentifiers.map((id) => groupNameOf({ logGroupIdentifier: id }))),
      ];
      const found: LogGroupRecord[] = [];
      for (const name of names.sort()) {
        const group = await tx.getLogGroup(name);
        if (group) found.push(group);
      }
      return { items: found, next: undefined };
    }
    return tx.describeLogGroups({
      prefix: request.logGroupNamePrefix,
      contains: request.logGroupNamePattern,
      limit: request.limit ?? 50,
      after: request.nextToken,
    });
  });
  // With a name pattern, CloudWatch answers only these three members.
  const brief = request.logGroupNamePattern !== undefined;
  return {
    logGroups: items.map((group) =>
      brief
        ? { logGroupName: group.name, creationTime: group.creationTime, arn: `${arns.group(group.name)}:*` }
        : {
            logGroupName: group.name,
            creationTime: group.creationTime,
            metricFilterCount: 0,
            arn: `${arns.group(group.name)}:*`,
            storedBytes: group.storedBytes,
            logGroupClass: "STANDARD",
            logGroupArn: arns.group(group.name),
          },
    ),
    ...(next !== undefined && { nextToken: next }),
  };
}

async function describeLogStreams(input: Input, store: Store, arns: Arns): Promise<unknown> {
  const request = validate<{
    logGroupName?: string;
    logGroupIdentifier?: string;
    logStreamNamePrefix?: string;
    orderBy?: "LogStreamName" | "LastEventTime";
    descending?: boolean;
    nextToken?: string;
    limit?: number;
  }>(input, {
    logGroupName: LOG_GROUP_NAME,
    logGroupIdentifier: LOG_GROUP_IDENTIFIER,
    logStreamNamePrefix: LOG_STREAM_NAME(),
    orderBy: str({ enum: ["LogStreamName", "LastEventTime"] }),
    descending: bool(),
    nextToken: NEXT_TOKEN,
    limit: DESCRIBE_LIMIT,
  });
  const group = groupNameOf(request);
  const orderBy = request.orderBy ?? "LogStreamName";
  if (orderBy === "LastEventTime" && request.logStreamNamePrefix !== undefined) {
    throw invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  const { items, next } = await read(store, async (tx) => {
    await requireGroup(tx, group);
    return tx.describeLogStreams(group, {
      prefix: request.logStreamNamePrefix,
      orderBy,
      descending: request.descending ?? false,
      limit: request.limit ?? 50,
      after: request.nextToken,
    });
  });
  return {
    logStreams: items.map((stream: LogStreamRecord) => ({
      logStreamName: stream.name,
      creationTime: stream.creationTime,
      ...(stream.firstEventTimestamp !== undefined && {
        firstEventTimestamp: stream.firstEventTimestamp,
        lastEventTimestamp: stream.lastEventTimestamp,
        lastIngestionTime: stream.lastIngestionTime,
      }),
      arn: arns.stream(group, stream.name),
      // CloudWatch stopped counting per stream in 2019 and always answers 0; groups still count.
      storedBytes: 0,
    })),
    ...(next !== undefined && { nextToken: next }),
  };
}

/** 56 digits as CloudWatch's tokens and event ids have: 24 of timestamp, then 32 of seq. */
export function positionDigits(position: LogPosition): string {
  return `${String(position.timestamp).padStart(24, "0")}${String(position.seq).padStart(32, "0")}`;
}

/** `f/<digits>/s` or `b/<digits>/s` (the form AWS hands out) back into a direction and position. */
export function parseEventsToken(
  token: string,
): { direction: "forward" | "backward"; position: LogPosition } | undefined {
  const match = /^([fb])\/(\d{24})(\d{32})(?:\/s)?$/.exec(token);
  if (!match) return undefined;
  const timestamp = Number(match[2]);
  const seq = Number(match[3]);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(seq)) return undefined;
  return { direction: match[1] === "f" ? "forward" : "backward", position: { timestamp, seq } };
}

const eventsToken = (direction: "f" | "b", position: LogPosition): string =>
  `${direction}/${positionDigits(position)}/s`;

async function getLogEvents(input: Input, store: Store): Promise<unknown> {
  const request = validate<{
    logGroupName?: string;
    logGroupIdentifier?: string;
    logStreamName: string;
    startTime?: number;
    endTime?: number;
    nextToken?: string;
    limit?: number;
    startFromHead?: boolean;
  }>(input, {
    logGroupName: LOG_GROUP_NAME,
    logGroupIdentifier: LOG_GROUP_IDENTIFIER,
    logStreamName: LOG_STREAM_NAME(true),
    startTime: TIMESTAMP,
    endTime: TIMESTAMP,
    nextToken: NEXT_TOKEN,
    limit: EVENTS_LIMIT,
    startFromHead: bool(),
    unmask: bool(),
  });
  const group = groupNameOf(request);
  const from = request.nextToken === undefined ? undefined : parseEventsToken(request.nextToken);
  if (request.nextToken !== undefined && !from) throw invalidParameter(INVALID_TOKEN);
  const page = await read(store, async (tx) => {
    await requireGroup(tx, group);
    if (!(await tx.getLogStream(group, request.logStreamName))) throw resourceNotFound(STREAM_NOT_FOUND);
    return tx.getLogEvents(group, request.logStreamName, {
      startTime: request.startTime,
      endTime: request.endTime,
      startFromHead: request.startFromHead ?? false,
      limit: request.limit ?? 10000,
      from,
    });
  });
  return {
    events: page.events.map((e) => ({
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
    })),
    nextForwardToken: eventsToken("f", page.forward),
    nextBackwardToken: eventsToken("b", page.backward),
  };
}

async function filterLogEvents(input: Input, store: Store): Promise<unknown> {
  const request = validate<{
    logGroupName?: string;
    logGroupIdentifier?: string;
    logStreamNames?: string[];
    logStreamNamePrefix?: string;
    startTime?: number;
    endTime?: number;
    filterPattern?: string;
    nextToken?: string;
    limit?: number;
    startFromHead?: boolean;
  }>(input, {
    logGroupName: LOG_GROUP_NAME,
    logGroupIdentifier: LOG_GROUP_IDENTIFIER,
    logStreamNames: list(LOG_STREAM_NAME(), { min: 1, max: 100 }),
    logStreamNamePrefix: LOG_STREAM_NAME(),
    startTime: TIMESTAMP,
    endTime: TIMESTAMP,
    filterPattern: str({ max: 1024 }),
    nextToken: NEXT_TOKEN,
    limit: EVENTS_LIMIT,
    startFromHead: bool(),
    interleaved: bool(),
    unmask: bool(),
  });
  const group = groupNameOf(request);
  if (request.logStreamNames !== undefined && request.logStreamNamePrefix !== undefined) {
    throw invalidParameter("Cannot specify both logStreamNames and logStreamNamePrefix.");
  }
  // A token goes on in its own direction, whatever startFromHead says now.
  const descending =
    (request.nextToken === undefined ? undefined : filterCursorDirection(request.nextToken, group)) ??
    request.startFromHead === false;
  if (descending && request.startTime !== undefined && request.startTime < NEWEST_FIRST_SINCE) {
    throw invalidParameter(
      "startFromHead set to false is supported only when startTime is on or after Jan 1, 2024 00:00:00 UTC.",
    );
  }
  // Read before the store so that a bad pattern is refused even for a group without events.
  const pattern = request.filterPattern?.trim() ? request.filterPattern : undefined;
  if (pattern !== undefined) {
    try {
      parseFilterPattern(pattern);
    } catch (error) {
      if (error instanceof InvalidFilterPattern) throw invalidParameter(error.message);
      throw error;
    }
  }
  const page = await read(store, async (tx) => {
    await requireGroup(tx, group);
    for (const name of request.logStreamNames ?? []) {
      if (!(await tx.getLogStream(group, name))) throw resourceNotFound(STREAM_NOT_FOUND);
    }
    return tx.filterLogEvents(group, {
      streams: request.logStreamNames,
      streamPrefix: request.logStreamNamePrefix,
      startTime: request.startTime,
      // FilterLogEvents' endTime is inclusive, the store's exclusive.
      endTime: request.endTime === undefined ? undefined : request.endTime + 1,
      pattern,
      descending,
      limit: request.limit ?? 10000,
      after: request.nextToken,
    });
  });
  return {
    events: page.items.map((e: StoredLogEvent) => ({
      logStreamName: e.stream,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: positionDigits(e),
    })),
    // No longer filled by CloudWatch since 2020: always an empty list.
    searchedLogStreams: [],
    ...(page.next !== undefined && { nextToken: page.next }),
  };
}
