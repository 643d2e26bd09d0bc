// `cognito-triggers down`: delete the service's local stack from a data dir, as a stack delete.
import { downStack } from "../../local-deploy/up.js";
import { type CliIo, EXIT_OK } from "../io.js";
import { reportError } from "../report-problems.js";
import { parseOrExit } from "./options.js";

export const DOWN_USAGE = `Usage: cognito-triggers down [--config serverless.yml] [--stage s] [--region r] [--data dir]

Deletes every resource "up" created for the service (pools and their users, tables, functions, logs)
in reverse dependency order, and the saved stack state. Data dir default: .cognito-triggers/.
`;

export async function downCommand(argv: string[], io: CliIo): Promise<number> {
  const values = parseOrExit(argv, { data: { type: "string", short: "d" } }, DOWN_USAGE, io);
  if (typeof values === "number") return values;
  try {
    const { stackName, deleted } = await downStack({
      configPath: values.config as string | undefined,
      cwd: io.cwd,
      stage: values.stage as string | undefined,
      region: (values.region as string | undefined) ?? io.env.AWS_REGION,
      dataDir: values.data as string | undefined,
      env: io.env,
      log: (line) => io.stderr(`${line}\n`),
    });
    io.stdout(
      deleted.length === 0
        ? `stack ${stackName}: nothing deployed\n`
        : `stack ${stackName}: deleted ${deleted.join(", ")}\n`,
    );
    return EXIT_OK;
  } catch (error) {
    return reportError(io, error);
  }
}
