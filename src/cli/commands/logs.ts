// `cognito-triggers logs <function>`: a function's invocation logs, from a data directory or a running server.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CognitoError } from "../../cognito/errors.js";
import { functionNameOf } from "../../lambda/registry.js";
import { handleLogsAction, LOGS_TARGET_PREFIX } from "../../logs/api.js";
import { createSqliteStore, SQLITE_FILE } from "../../store/sqlite.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { processStopSignal, type StopSignal } from "./serve.js";

export const LOGS_USAGE = `Usage: cognito-triggers logs <function> [--follow] [--since 10m] [--filter pattern] [--json]
                             [--data dir | --url http://127.0.0.1:9339]

Prints the log events of a function that "cognito-triggers serve" ran (START, END and REPORT lines and
the handler's console output), oldest first. <function> is a function name (group /aws/lambda/<name>),
a function ARN or a full log group name. Without --url the events are read from the data directory
(default .cognito-triggers/); with --url they come from a running server over the CloudWatch Logs API,
which is how to read a --memory server. --since takes 30s, 10m, 2h, 1d, 1w or an ISO 8601 time
(default 10m, as "aws logs tail"). --filter takes a CloudWatch filter pattern (terms, "phrases",
?any, -not). --follow keeps printing new events until interrupted.
`;

/** Seams for tests: when to stop following, how often to poll, how to wait. */
export interface LogsCommandOptions {
  stopSignal?: (() => StopSignal) | undefined;
  pollMs?: number | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

interface FilteredEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

interface FilterOutput {
  events: FilteredEvent[];
  nextToken?: string | undefined;
}

/** A Logs API error, whichever way it came (HTTP answer or in-process CognitoError). */
class LogsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface LogsSource {
  filter(input: Record<string, unknown>): Promise<FilterOutput>;
  close(): Promise<void>;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `10m` before now, or an ISO 8601 time; undefined when it is neither. */
export function parseSince(text: string, now: number): number | undefined {
  const relative = /^(\d+)([smhdw])$/.exec(text);
  if (relative) return Math.max(0, now - Number(relative[1]) * (UNITS[relative[2] ?? "s"] ?? 1000));
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at);
}

/** A function name, a function ARN (qualifier dropped) or a log group name, as the group to read. */
export function logGroupOf(target: string): string {
  if (target.startsWith("/")) return target;
  return `/aws/lambda/${functionNameOf(target)}`;
}

function apiSource(url: string): LogsSource {
  const endpoint = url.replace(/\/+$/, "");
  return {
    async filter(input) {
      const response = await fetch(`${endpoint}/`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": `${LOGS_TARGET_PREFIX}FilterLogEvents`,
        },
        body: JSON.stringify(input),
      });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (!response.ok) {
        const type = String(body.__type ?? `HTTP ${response.status}`).replace(/^.*#/, "");
        throw new LogsError(type, String(body.message ?? body.Message ?? response.statusText));
      }
      return body as unknown as FilterOutput;
    },
    close: async () => {},
  };
}

function storeSource(dataDir: string, io: CliIo): LogsSource {
  const store = createSqliteStore({ path: join(dataDir, SQLITE_FILE) });
  return {
    async filter(input) {
      try {
        return (await handleLogsAction("FilterLogEvents", input, { store, clock: io.clock })) as FilterOutput;
      } catch (error) {
        if (error instanceof CognitoError) throw new LogsError(error.type, error.message);
        throw error;
      }
    },
    close: () => store.close(),
  };
}

function format(event: FilteredEvent, json: boolean): string {
  if (json) return `${JSON.stringify(event)}\n`;
  return `${new Date(event.timestamp).toISOString()} ${event.logStreamName} ${event.message.replace(/\r?\n$/, "")}\n`;
}

export async function logsCommand(
  argv: string[],
  io: CliIo,
  options: LogsCommandOptions = {},
): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        follow: { type: "boolean", short: "f" },
        since: { type: "string" },
        filter: { type: "string" },
        json: { type: "boolean" },
        data: { type: "string", short: "d" },
        url: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n\n${LOGS_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(LOGS_USAGE);
    return EXIT_OK;
  }
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) {
    io.stderr(`error: give exactly one function name\n\n${LOGS_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.url !== undefined && values.data !== undefined) {
    io.stderr("error: --data and --url cannot be used together\n");
    return EXIT_USAGE;
  }
  const sinceText = (values.since as string | undefined) ?? "10m";
  const since = parseSince(sinceText, io.clock.now());
  if (since === undefined) {
    io.stderr(`error: --since must be like 30s, 10m, 2h, 1d, 1w or an ISO 8601 time, not "${sinceText}"\n`);
    return EXIT_USAGE;
  }
  const url = values.url as string | undefined;
  if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) {
    io.stderr(`error: --url must be an http(s) URL, not "${url}"\n`);
    return EXIT_USAGE;
  }
  const group = logGroupOf(target);
  const follow = Boolean(values.follow);
  const json = Boolean(values.json);
  const filterPattern = values.filter as string | undefined;

  let source: LogsSource;
  if (url !== undefined) {
    source = apiSource(url);
  } else {
    const dataDir = resolve(io.cwd, (values.data as string | undefined) ?? ".cognito-triggers");
    if (!existsSync(join(dataDir, SQLITE_FILE))) {
      io.stderr(
        `error: no server data in ${dataDir}; pass --data, or --url for a running server (a --memory server has no data directory)\n`,
      );
      return EXIT_FAILURE;
    }
    try {
      source = storeSource(dataDir, io);
    } catch (error) {
      io.stderr(`error: cannot open ${dataDir}: ${(error as Error).message}\n`);
      return EXIT_FAILURE;
    }
  }

  // Events at the newest timestamp printed so far: the next poll starts at that timestamp, so they come again.
  let newest = since;
  let printedAtNewest = new Set<string>();
  const poll = async (): Promise<void> => {
    let nextToken: string | undefined;
    do {
      const page = await source.filter({
        logGroupName: group,
        startTime: newest,
        ...(filterPattern !== undefined && { filterPattern }),
        ...(nextToken !== undefined && { nextToken }),
      });
      for (const event of page.events) {
        if (event.timestamp < newest || (event.timestamp === newest && printedAtNewest.has(event.eventId)))
          continue;
        if (event.timestamp > newest) {
          newest = event.timestamp;
          printedAtNewest = new Set();
        }
        printedAtNewest.add(event.eventId);
        io.stdout(format(event, json));
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
  };

  const stopped = follow ? (options.stopSignal ?? processStopSignal)() : undefined;
  let stop = false;
  void stopped?.then(() => {
    stop = true;
  });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const pollMs = options.pollMs ?? 1000;
  let waiting = false;
  try {
    for (;;) {
      try {
        await poll();
        waiting = false;
      } catch (error) {
        if (!(error instanceof LogsError)) {
          const where = url ?? "the data directory";
          io.stderr(`error: cannot read logs from ${where}: ${(error as Error).message}\n`);
          return EXIT_FAILURE;
        }
        if (error.type !== "ResourceNotFoundException" || !follow) {
          const hint = error.type === "ResourceNotFoundException" ? " (has the function run yet?)" : "";
          io.stderr(`error: ${group}: ${error.type}: ${error.message}${hint}\n`);
          return EXIT_FAILURE;
        }
        if (!waiting) io.stderr(`waiting for ${group} (the function has not run yet)\n`);
        waiting = true;
      }
      if (!follow || stop) return EXIT_OK;
      await Promise.race([sleep(pollMs), stopped]);
      if (stop) return EXIT_OK;
    }
  } finally {
    await source.close();
  }
}
