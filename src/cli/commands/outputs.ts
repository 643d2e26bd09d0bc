// `cognito-triggers outputs`: print the saved outputs of the service's local stack.
import { readStackState } from "../../local-deploy/up.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK } from "../io.js";
import { reportError } from "../report-problems.js";
import { parseOrExit } from "./options.js";

export const OUTPUTS_USAGE = `Usage: cognito-triggers outputs [--config serverless.yml] [--stage s] [--region r] [--data dir] [--json]

Prints the outputs of the stack "up" deployed (with their export names); --json prints
{"Name": value, ...} for scripts.
`;

export async function outputsCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOrExit(
    argv,
    { data: { type: "string", short: "d" }, json: { type: "boolean" } },
    OUTPUTS_USAGE,
    io,
  );
  if (typeof values === "number") return values;
  try {
    const { stackName, state } = await readStackState({
      configPath: values.config as string | undefined,
      cwd: io.cwd,
      stage: values.stage as string | undefined,
      region: (values.region as string | undefined) ?? io.env.AWS_REGION,
      dataDir: values.data as string | undefined,
      env: io.env,
    });
    if (!state) {
      io.stderr(`error: stack ${stackName} is not deployed here; run "cognito-triggers up" first\n`);
      return EXIT_FAILURE;
    }
    if (values.json) {
      const plain = Object.fromEntries(Object.entries(state.outputs).map(([name, o]) => [name, o.value]));
      io.stdout(`${JSON.stringify(plain, null, 2)}\n`);
    } else {
      for (const [name, output] of Object.entries(state.outputs))
        io.stdout(
          `${name}\t${typeof output.value === "string" ? output.value : JSON.stringify(output.value)}${output.exportName ? `\t(export ${output.exportName})` : ""}\n`,
        );
    }
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error);
  }
}
