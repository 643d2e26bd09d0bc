// `cognito-triggers print`: the configuration with every variable resolved, as YAML (or JSON).
import { stringify } from "yaml";
import { loadService } from "../../compiler/load-service.js";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.js";
import { reportError } from "../report-problems.js";
import { type OptionValues, parseCommandArgs } from "./options.js";

export const PRINT_USAGE = `Usage: cognito-triggers print [--config serverless.yml] [--stage s] [--region r] [--format yaml|json]

Prints the service configuration with every variable resolved. Exit 2 if a variable cannot be resolved.
`;

export async function printCommand(argv: string[], io: CliIo): Promise<number> {
  let values: OptionValues;
  try {
    values = parseCommandArgs(argv, { format: { type: "string", short: "f" } });
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n\n${PRINT_USAGE}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.stdout(PRINT_USAGE);
    return EXIT_OK;
  }
  const format = (values.format as string | undefined) ?? "yaml";
  if (format !== "json" && format !== "yaml") {
    io.stderr(`error: --format must be yaml or json, not "${format}"\n`);
    return EXIT_USAGE;
  }
  try {
    const loaded = await loadService({
      configPath: values.config as string | undefined,
      cwd: io.cwd,
      stage: values.stage as string | undefined,
      region: values.region as string | undefined,
      env: io.env,
    });
    io.stdout(
      format === "json"
        ? `${JSON.stringify(loaded.config, null, 2)}\n`
        : stringify(loaded.config, { aliasDuplicateObjects: false, lineWidth: 0 }),
    );
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error);
  }
}
