// The CLI: `main(argv, io)` dispatches to one command and returns its exit code.

import { EVENT_USAGE, eventCommand } from "./commands/event.js";
import { INVOKE_USAGE, invokeCommand } from "./commands/invoke.js";
import { LOGS_USAGE, logsCommand } from "./commands/logs.js";
import { OUTBOX_USAGE, outboxCommand } from "./commands/outbox.js";
import { PACKAGE_USAGE, packageCommand } from "./commands/package.js";
import { PRINT_USAGE, printCommand } from "./commands/print.js";
import { SERVE_USAGE, serveCommand } from "./commands/serve.js";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "./io.js";

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  package: {
    run: packageCommand,
    summary: "compile serverless.yml into a CloudFormation template and artifacts",
  },
  print: { run: printCommand, summary: "print the configuration with every variable resolved" },
  serve: { run: (argv, io) => serveCommand(argv, io), summary: "run a local Cognito user pool server" },
  outbox: { run: outboxCommand, summary: "list the messages local pools would have sent (codes, passwords)" },
  logs: { run: (argv, io) => logsCommand(argv, io), summary: "print or follow a local function's logs" },
  invoke: { run: invokeCommand, summary: "run a function's handler on a Cognito trigger event" },
  event: { run: eventCommand, summary: "print the event Cognito sends for a trigger source" },
};

export const USAGE = `Usage: cognito-triggers <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`)
  .join("\n")}

Run "cognito-triggers <command> --help" for a command's options.

${PACKAGE_USAGE}
${PRINT_USAGE}
${SERVE_USAGE}
${OUTBOX_USAGE}
${LOGS_USAGE}
${INVOKE_USAGE}
${EVENT_USAGE}`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(USAGE);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === "--version" || name === "-v") {
    io.stdout("0.1.0\n");
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`error: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}
