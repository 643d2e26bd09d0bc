// The CLI: `main(argv, io)` dispatches to one command and returns its exit code.

import { DEMO_USAGE, demoCommand } from "./commands/demo.js";
import { DOWN_USAGE, downCommand } from "./commands/down.js";
import { EVENT_USAGE, eventCommand } from "./commands/event.js";
import { INVOKE_USAGE, invokeCommand } from "./commands/invoke.js";
import { LOGS_USAGE, logsCommand } from "./commands/logs.js";
import { MIGRATE_USAGE, migrateCommand } from "./commands/migrate.js";
import { OUTBOX_USAGE, outboxCommand } from "./commands/outbox.js";
import { OUTPUTS_USAGE, outputsCommand } from "./commands/outputs.js";
import { PACKAGE_USAGE, packageCommand } from "./commands/package.js";
import { PRINT_USAGE, printCommand } from "./commands/print.js";
import { REPLAY_USAGE, replayFailedSyncsCommand } from "./commands/replay-failed-syncs.js";
import { SERVE_USAGE, serveCommand } from "./commands/serve.js";
import { UP_USAGE, upCommand } from "./commands/up.js";
import { WORKFLOW_USAGE, workflowCommand } from "./commands/workflow.js";
import { type CliIo, EXIT_OK, EXIT_USAGE } from "./io.js";

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  package: {
    run: packageCommand,
    summary: "compile serverless.yml into a CloudFormation template and artifacts",
  },
  print: { run: printCommand, summary: "print the configuration with every variable resolved" },
  serve: { run: (argv, io) => serveCommand(argv, io), summary: "run a local Cognito user pool server" },
  up: {
    run: (argv, io) => upCommand(argv, io),
    summary: "deploy the service's template to the local edge and serve it",
  },
  migrate: { run: migrateCommand, summary: "apply the PostgreSQL schema migrations (--database-url)" },
  down: { run: downCommand, summary: "delete the service's local stack" },
  outputs: { run: outputsCommand, summary: "print the local stack's outputs" },
  outbox: { run: outboxCommand, summary: "list the messages local pools would have sent (codes, passwords)" },
  logs: { run: (argv, io) => logsCommand(argv, io), summary: "print or follow a local function's logs" },
  invoke: { run: invokeCommand, summary: "run a function's handler on a Cognito trigger event" },
  event: { run: eventCommand, summary: "print the event Cognito sends for a trigger source" },
  workflow: {
    run: workflowCommand,
    summary: "run an example workflow (auto-confirm, migrate-user, activity-log)",
  },
  "replay-failed-syncs": { run: replayFailedSyncsCommand, summary: "post the failed user syncs again" },
  demo: { run: demoCommand, summary: "run the example end to end on a temporary local stack (npm start)" },
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
${UP_USAGE}
${MIGRATE_USAGE}
${DOWN_USAGE}
${OUTPUTS_USAGE}
${OUTBOX_USAGE}
${LOGS_USAGE}
${INVOKE_USAGE}
${EVENT_USAGE}
${WORKFLOW_USAGE}
${REPLAY_USAGE}
${DEMO_USAGE}`;

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
