// Options shared by the commands that load a service: --config, --stage, --region.
import { type ParseArgsConfig, parseArgs } from "node:util";

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
