// The CloudWatch Logs read API of the edge, read with @aws-sdk/client-cloudwatch-logs as a developer would.
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
  paginateGetLogEvents,
} from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeLogSink } from "../../src/logs/sink.js";
import { errorOf, useTestServer } from "../helpers/server.js";

const FN = "svc-dev-preSignUp";
const GROUP = `/aws/lambda/${FN}`;
const S1 = "2026/01/15/[$LATEST]0123456789abcdef0123456789abcdef";
const S2 = "2026/01/15/[$LATEST]fedcba9876543210fedcba9876543210";
const ACCOUNT = "000000000000";

const server = useTestServer();
let logs: CloudWatchLogsClient;
/** The test clock's time when the logs were written. */
let T0: number;

beforeAll(async () => {
  const { server: running, clock } = server();
  T0 = clock.now();
  const sink = storeLogSink(running.deps.store, clock);
  const at = (offset: number, message: string) => ({ timestamp: T0 + offset, message });
  // A first invocation in one worker's stream, ingested a little after it ran.
  clock.advance(50);
  await sink.append(GROUP, S1, [
    at(1, "START RequestId: 11111111-1111-1111-1111-111111111111 Version: $LATEST\n"),
    at(2, "2026-01-15T12:00:00.002Z\t11111111-1111-1111-1111-111111111111\tINFO\tsigning up alice\n"),
    at(3, "END RequestId: 11111111-1111-1111-1111-111111111111\n"),
    at(3, "REPORT RequestId: 11111111-1111-1111-1111-111111111111\tDuration: 1.20 ms\n"),
  ]);
  // A second worker, interleaved in time with the first.
  clock.advance(50);
  await sink.append(GROUP, S2, [
    at(2, "START RequestId: 22222222-2222-2222-2222-222222222222 Version: $LATEST\n"),
    at(4, "2026-01-15T12:00:00.004Z\t22222222-2222-2222-2222-222222222222\tERROR\tInvoke Error boom\n"),
    at(5, "END RequestId: 22222222-2222-2222-2222-222222222222\n"),
  ]);
  await sink.append("/aws/lambda/svc-dev-postConfirmation", S1, [at(10, "other function\n")]);
  logs = new CloudWatchLogsClient({
    endpoint: running.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  logs?.destroy();
});

describe("DescribeLogGroups", () => {
  it("answers every group with CloudWatch's members", async () => {
    const out = await logs.send(new DescribeLogGroupsCommand({}));
    expect(out.logGroups).toEqual([
      {
        logGroupName: "/aws/lambda/svc-dev-postConfirmation",
        creationTime: T0 + 100,
        metricFilterCount: 0,
        arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/svc-dev-postConfirmation:*`,
        storedBytes: Buffer.byteLength("other function\n") + 26,
        logGroupClass: "STANDARD",
        logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/svc-dev-postConfirmation`,
      },
      expect.objectContaining({ logGroupName: GROUP, creationTime: T0 + 50 }),
    ]);
    expect(out.nextToken).toBeUndefined();
  });

  it("narrows by prefix, or by pattern with only three members", async () => {
    const prefixed = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/svc-dev-pre" }),
    );
    expect(prefixed.logGroups?.map((g) => g.logGroupName)).toEqual([GROUP]);
    const patterned = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: "preSign" }));
    expect(patterned.logGroups).toEqual([
      {
        logGroupName: GROUP,
        creationTime: T0 + 50,
        arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`,
      },
    ]);
    const none = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: "presign" }));
    expect(none.logGroups).toEqual([]);
  });

  it("pages through the SDK paginator", async () => {
    const names: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 1 }, {})) {
      expect(page.logGroups).toHaveLength(1);
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName ?? ""));
    }
    expect(names).toEqual(["/aws/lambda/svc-dev-postConfirmation", GROUP]);
  });

  it("refuses what CloudWatch refuses", async () => {
    expect(await errorOf(logs.send(new DescribeLogGroupsCommand({ limit: 51 })))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    });
    expect(
      await errorOf(
        logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/a", logGroupNamePattern: "a" })),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.",
    });
    expect(await errorOf(logs.send(new DescribeLogGroupsCommand({ nextToken: "not-a-token" })))).toEqual({
      name: "InvalidParameterException",
      message: "The specified nextToken is invalid.",
    });
  });
});

describe("DescribeLogStreams", () => {
  it("answers the group's streams with their event times (storedBytes 0, as CloudWatch now reports)", async () => {
    const out = await logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP }));
    expect(out.logStreams).toEqual([
      {
        logStreamName: S1,
        creationTime: T0 + 50,
        firstEventTimestamp: T0 + 1,
        lastEventTimestamp: T0 + 3,
        lastIngestionTime: T0 + 50,
        arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:log-stream:${S1}`,
        storedBytes: 0,
      },
      {
        logStreamName: S2,
        creationTime: T0 + 100,
        firstEventTimestamp: T0 + 2,
        lastEventTimestamp: T0 + 5,
        lastIngestionTime: T0 + 100,
        arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:log-stream:${S2}`,
        storedBytes: 0,
      },
    ]);
  });

  it("orders by last event time, newest first, and takes the group by ARN", async () => {
    const out = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupIdentifier: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}`,
        orderBy: "LastEventTime",
        descending: true,
        limit: 1,
      }),
    );
    expect(out.logStreams?.map((s) => s.logStreamName)).toEqual([S2]);
    const rest = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: GROUP,
        orderBy: "LastEventTime",
        descending: true,
        nextToken: out.nextToken,
      }),
    );
    expect(rest.logStreams?.map((s) => s.logStreamName)).toEqual([S1]);
    expect(rest.nextToken).toBeUndefined();
  });

  it("refuses what CloudWatch refuses", async () => {
    expect(
      await errorOf(logs.send(new DescribeLogStreamsCommand({ logGroupName: "/aws/lambda/none" }))),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "The specified log group does not exist.",
    });
    expect(
      await errorOf(
        logs.send(
          new DescribeLogStreamsCommand({
            logGroupName: GROUP,
            orderBy: "LastEventTime",
            logStreamNamePrefix: "2026",
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Cannot order by LastEventTime with a logStreamNamePrefix.",
    });
    expect(
      await errorOf(
        logs.send(new DescribeLogStreamsCommand({ logGroupName: GROUP, logGroupIdentifier: GROUP })),
      ),
    ).toMatchObject({ name: "InvalidParameterException" });
    expect(await errorOf(logs.send(new DescribeLogStreamsCommand({ logGroupName: "bad group!" })))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'bad group!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    });
  });
});

describe("GetLogEvents", () => {
  it("answers the latest events with f/ and b/ tokens, and reads back and forth with them", async () => {
    const latest = await logs.send(
      new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: S1, limit: 2 }),
    );
    expect(latest.events).toEqual([
      {
        timestamp: T0 + 3,
        message: "END RequestId: 11111111-1111-1111-1111-111111111111\n",
        ingestionTime: T0 + 50,
      },
      {
        timestamp: T0 + 3,
        message: "REPORT RequestId: 11111111-1111-1111-1111-111111111111\tDuration: 1.20 ms\n",
        ingestionTime: T0 + 50,
      },
    ]);
    expect(latest.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(latest.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    const earlier = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: S1,
        nextToken: latest.nextBackwardToken,
      }),
    );
    expect(earlier.events?.map((e) => e.timestamp)).toEqual([T0 + 1, T0 + 2]);
    // The end of the stream answers the token it was given, as CloudWatch does.
    const end = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: S1,
        startFromHead: true,
        nextToken: latest.nextForwardToken,
      }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(latest.nextForwardToken);
  });

  it("reads a whole stream with the SDK paginator (stopOnSameToken)", async () => {
    const messages: string[] = [];
    for await (const page of paginateGetLogEvents(
      { client: logs, pageSize: 1, stopOnSameToken: true },
      { logGroupName: GROUP, logStreamName: S2, startFromHead: true },
    )) {
      messages.push(...(page.events ?? []).map((e) => e.message ?? ""));
    }
    expect(messages.map((m) => m.split(/[\s\t]/)[0])).toEqual(["START", "2026-01-15T12:00:00.004Z", "END"]);
  });

  it("keeps to startTime (inclusive) and endTime (exclusive)", async () => {
    const out = await logs.send(
      new GetLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: S1,
        startFromHead: true,
        startTime: T0 + 2,
        endTime: T0 + 3,
      }),
    );
    expect(out.events?.map((e) => e.timestamp)).toEqual([T0 + 2]);
  });

  it("refuses what CloudWatch refuses", async () => {
    expect(
      await errorOf(logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: "missing" }))),
    ).toEqual({ name: "ResourceNotFoundException", message: "The specified log stream does not exist." });
    expect(
      await errorOf(
        logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/none", logStreamName: S1 })),
      ),
    ).toEqual({ name: "ResourceNotFoundException", message: "The specified log group does not exist." });
    expect(
      await errorOf(
        logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: S1, nextToken: "f/1" })),
      ),
    ).toEqual({ name: "InvalidParameterException", message: "The specified nextToken is invalid." });
    expect(
      await errorOf(
        logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: S1, limit: 10001 })),
      ),
    ).toMatchObject({ name: "InvalidParameterException", message: expect.stringContaining("at 'limit'") });
  });
});

describe("FilterLogEvents", () => {
  it("interleaves the group's streams by time, with event ids and no searchedLogStreams", async () => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    expect(out.events?.map((e) => [e.logStreamName === S1 ? 1 : 2, (e.timestamp ?? 0) - T0])).toEqual([
      [1, 1],
      [1, 2],
      [2, 2],
      [1, 3],
      [1, 3],
      [2, 4],
      [2, 5],
    ]);
    expect(out.events?.[5]).toEqual({
      logStreamName: S2,
      timestamp: T0 + 4,
      message: "2026-01-15T12:00:00.004Z\t22222222-2222-2222-2222-222222222222\tERROR\tInvoke Error boom\n",
      ingestionTime: T0 + 100,
      eventId: expect.stringMatching(/^\d{56}$/),
    });
    expect(new Set(out.events?.map((e) => e.eventId)).size).toBe(7);
    expect(out.searchedLogStreams).toEqual([]);
    expect(out.nextToken).toBeUndefined();
  });

  it("matches filter patterns and narrows by stream and time (endTime inclusive)", async () => {
    const matching = async (input: Partial<ConstructorParameters<typeof FilterLogEventsCommand>[0]>) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, ...input }))).events?.map((e) =>
        (e.message ?? "").trimEnd(),
      );
    expect(await matching({ filterPattern: "ERROR" })).toEqual([
      "2026-01-15T12:00:00.004Z\t22222222-2222-2222-2222-222222222222\tERROR\tInvoke Error boom",
    ]);
    expect(await matching({ filterPattern: '?"signing up" ?boom' })).toHaveLength(2);
    expect(await matching({ filterPattern: "RequestId -END -REPORT -START" })).toEqual([]);
    expect(await matching({ filterPattern: "START", logStreamNames: [S2] })).toEqual([
      "START RequestId: 22222222-2222-2222-2222-222222222222 Version: $LATEST",
    ]);
    expect(
      await matching({ logStreamNamePrefix: "2026/01/15/[$LATEST]f", startTime: T0 + 3, endTime: T0 + 4 }),
    ).toEqual(["2026-01-15T12:00:00.004Z\t22222222-2222-2222-2222-222222222222\tERROR\tInvoke Error boom"]);
    const newestFirst = await matching({ startFromHead: false, filterPattern: "END" });
    expect(newestFirst).toEqual([
      "END RequestId: 22222222-2222-2222-2222-222222222222",
      "END RequestId: 11111111-1111-1111-1111-111111111111",
    ]);
  });

  it("goes on in a token's own direction, whatever startFromHead says", async () => {
    const first = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, startFromHead: false, limit: 2 }),
    );
    expect(first.events?.map((e) => (e.timestamp ?? 0) - T0)).toEqual([5, 4]);
    const next = await logs.send(
      new FilterLogEventsCommand({ logGroupName: GROUP, limit: 2, nextToken: first.nextToken }),
    );
    expect(next.events?.map((e) => (e.timestamp ?? 0) - T0)).toEqual([3, 3]);
  });

  it("pages through the SDK paginator", async () => {
    const pages: number[] = [];
    for await (const page of paginateFilterLogEvents(
      { client: logs, pageSize: 3 },
      { logGroupName: GROUP },
    )) {
      pages.push(page.events?.length ?? 0);
    }
    expect(pages).toEqual([3, 3, 1]);
  });

  it("refuses what CloudWatch refuses", async () => {
    expect(
      await errorOf(
        logs.send(
          new FilterLogEventsCommand({
            logGroupName: GROUP,
            logStreamNames: [S1],
            logStreamNamePrefix: "2026",
          }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Cannot specify both logStreamNames and logStreamNamePrefix.",
    });
    expect(
      await errorOf(
        logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, logStreamNames: ["missing"] })),
      ),
    ).toEqual({ name: "ResourceNotFoundException", message: "The specified log stream does not exist." });
    expect(
      await errorOf(
        logs.send(
          new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.level = "ERROR" }' }),
        ),
      ),
    ).toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringContaining("JSON filter patterns"),
    });
    expect(await errorOf(logs.send(new FilterLogEventsCommand({})))).toEqual({
      name: "InvalidParameterException",
      message: "You must include either logGroupIdentifier or logGroupName, but not both.",
    });
    const other = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, limit: 1 }));
    expect(
      await errorOf(
        logs.send(
          new FilterLogEventsCommand({
            logGroupName: "/aws/lambda/svc-dev-postConfirmation",
            nextToken: other.nextToken,
          }),
        ),
      ),
    ).toEqual({ name: "InvalidParameterException", message: "The specified nextToken is invalid." });
  });
});

it("refuses the Logs operations it does not serve", async () => {
  expect(
    await errorOf(
      logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: S1,
          logEvents: [{ timestamp: T0, message: "x" }],
        }),
      ),
    ),
  ).toMatchObject({
    name: "UnsupportedOperationException",
    message: expect.stringContaining("PutLogEvents"),
  });
});

describe("storeLogSink", () => {
  it("stamps each batch with the clock's time and keeps whole-millisecond timestamps", async () => {
    const { server: running, clock } = server();
    clock.advance(1000);
    await storeLogSink(running.deps.store, clock).append("/aws/lambda/sink", "s", [
      { timestamp: T0 + 7.9, message: "fractional\n" },
    ]);
    const out = await logs.send(
      new GetLogEventsCommand({ logGroupName: "/aws/lambda/sink", logStreamName: "s" }),
    );
    expect(out.events).toEqual([{ timestamp: T0 + 7, message: "fractional\n", ingestionTime: clock.now() }]);
  });
});
