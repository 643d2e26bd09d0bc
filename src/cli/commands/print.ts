// `cognito-triggers print`: the configuration with every variable resolved, as YAML (or JSON).
import { stringify } from "yaml";
import { loadService } from "../../compiler/load-service.js";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "../io.js";
import { reportError } from "../report-problems.js";
import { parseOrExit, readFormat } from "./options.js";

export const PRINT_USAGE = `Usage: cognito-triggers print [--config serverless.yml] [--stage s] [--region r] [--format yaml|json]

Prints the service configuration with every variable resolved. Exit 2 if a variable cannot be resolved.
`;

export async function printCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOrExit(argv, { format: { type: "string", short: "f" } }, PRINT_USAGE, io);
  if (typeof values === "number") return values;
  const format = readFormat(values, ["yaml", "json"], io);
  if (!format) return EXIT_USAGE;
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
