// Options shared by the commands that load a service: --config, --stage, --region.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.js";

export const SERVICE_OPTIONS: NonNullable<ParseArgsConfig["options"]> = {
  config: { type: "string", short: "c" },
  stage: { type: "string", short: "s" },
  region: { type: "string", short: "r" },
  help: { type: "boolean", short: "h" },
};

export type OptionValues = Record<string, string | boolean | undefined>;

/** Throws on unknown options or missing values, with node's message. */
export function parseCommandArgs(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
): OptionValues {
  const { values } = parseArgs({ args: argv, options: { ...SERVICE_OPTIONS, ...options }, strict: true });
  return values as OptionValues;
}

/**
 * Parses a command's arguments; on `--help` prints the usage and on bad arguments prints the error
 * and the usage, returning the exit code to end with instead of the values.
 */
export function parseOrExit(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  usage: string,
  io: CliIo,
): OptionValues | number {
  let values: OptionValues;
  try {
    values = parseCommandArgs(argv, options);
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(usage);
    return EXIT_OK;
  }
  return values;
}

/** The `--format` value, one of `allowed` (the first is the default), or undefined after printing the error. */
export function readFormat<T extends string>(
  values: OptionValues,
  allowed: readonly T[],
  io: CliIo,
): T | undefined {
  const format = (values.format as string | undefined) ?? allowed[0];
  if (allowed.includes(format as T)) return format as T;
  io.stderr(`error: --format must be ${allowed.join(" or ")}, not "${format}"\n`);
  return undefined;
}
