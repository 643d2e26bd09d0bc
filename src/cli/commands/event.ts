// `cognito-triggers event <triggerSource>`: prints the event Cognito sends for a trigger source.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type BuildEventOptions, buildAnyEvent } from "../../triggers/build-event.js";
import { type EventVersion, isTriggerSource, SOURCES, type TriggerSource } from "../../triggers/sources.js";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.js";

export const EVENT_USAGE = `Usage: cognito-triggers event <triggerSource> [--username u] [--attr name=value ...] [--pool id] [--client id]
                              [--region r] [--metadata k=v ...] [--validation-data k=v ...] [--lambda-version V2_0]
       cognito-triggers event --list

Prints, as JSON, the event Amazon Cognito sends for <triggerSource> (e.g. PreSignUp_SignUp): the envelope,
the request with the user's attributes (plus sub and cognito:user_status for an existing user) and the
response pre-filled as Cognito pre-fills it. --attr, --metadata (request.clientMetadata) and
--validation-data (request.validationData) repeat; --lambda-version picks the PreTokenGeneration event
version (V1_0, V2_0, V3_0). --list prints every trigger source with its trigger.
`;

/** The options that shape an event, shared with `invoke`. */
export const EVENT_OPTIONS = {
  username: { type: "string", short: "u" },
  attr: { type: "string", short: "a", multiple: true },
  pool: { type: "string" },
  client: { type: "string" },
  region: { type: "string", short: "r" },
  metadata: { type: "string", multiple: true },
  "validation-data": { type: "string", multiple: true },
  "lambda-version": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

export type Parsed = { values: ParsedValues; positionals: string[] };

/** parseArgs with positionals; on an error prints it and the usage and returns the exit code. */
export function parseWithPositionals(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  usage: string,
  io: CliIo,
): Parsed | number {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    return { values: values as ParsedValues, positionals };
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n\n${usage}`);
    return EXIT_USAGE;
  }
}

/** Thrown for an option value that cannot be used; commands print it and exit 2. */
export class UsageError extends Error {}

/** `name=value` pairs (repeated options) as a map; the value may contain `=`. */
export function pairs(option: string, values: string[] | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const pair of values) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--${option} takes name=value, not "${pair}"`);
    map[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return map;
}

const VERSIONS: Record<string, EventVersion> = {
  V1_0: "1",
  V2_0: "2",
  V3_0: "3",
  "1": "1",
  "2": "2",
  "3": "3",
};

export function eventVersion(value: string | undefined): EventVersion | undefined {
  if (value === undefined) return undefined;
  const version = VERSIONS[value];
  if (!version) throw new UsageError(`--lambda-version must be V1_0, V2_0 or V3_0, not "${value}"`);
  return version;
}

/** The trigger source named on the command line, or a UsageError that suggests the right spelling. */
export function triggerSourceOf(value: string): TriggerSource {
  if (isTriggerSource(value)) return value;
  const lower = value.toLowerCase();
  const near = SOURCES.find((s) => s.source.toLowerCase() === lower)?.source;
  const hint = near ? `; did you mean "${near}"?` : '; "cognito-triggers event --list" lists them';
  throw new UsageError(`unknown trigger source "${value}"${hint}`);
}

/** The event options of the command line, as buildEvent takes them. */
export function eventOptions(values: ParsedValues): BuildEventOptions {
  const options: BuildEventOptions = {};
  const text = (name: string) => values[name] as string | undefined;
  const list = (name: string) => values[name] as string[] | undefined;
  if (text("username") !== undefined) options.userName = text("username");
  const attributes = pairs("attr", list("attr"));
  if (attributes) options.userAttributes = attributes;
  if (text("pool") !== undefined) options.userPoolId = text("pool");
  if (text("client") !== undefined) options.clientId = text("client");
  if (text("region") !== undefined) options.region = text("region");
  const metadata = pairs("metadata", list("metadata"));
  if (metadata) options.clientMetadata = metadata;
  const validationData = pairs("validation-data", list("validation-data"));
  if (validationData) options.validationData = validationData;
  const version = eventVersion(text("lambda-version"));
  if (version) options.version = version;
  return options;
}

function listSources(io: CliIo): void {
  const width = Math.max(...SOURCES.map((s) => s.source.length));
  for (const info of SOURCES) {
    const notes = [
      info.versions.length > 1 || info.versions[0] !== "1" ? `versions ${info.versions.join(", ")}` : "",
      info.async ? "asynchronous" : "",
      info.notFiredLocally ? `not fired locally: ${info.notFiredLocally}` : "",
    ].filter((note) => note !== "");
    io.stdout(
      `${info.source.padEnd(width)}  ${info.trigger.padEnd(27)} ${info.firedBy}${notes.length ? ` (${notes.join("; ")})` : ""}\n`,
    );
  }
}

export async function eventCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseWithPositionals(argv, { ...EVENT_OPTIONS, list: { type: "boolean" } }, EVENT_USAGE, io);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(EVENT_USAGE);
    return EXIT_OK;
  }
  if (values.list) {
    listSources(io);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    io.stderr(`error: name one trigger source (got ${positionals.length})\n\n${EVENT_USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const source = triggerSourceOf(positionals[0] as string);
    const event = buildAnyEvent(source, eventOptions(values));
    io.stdout(`${JSON.stringify(event, null, 2)}\n`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof TypeError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
}
