// `cognito-triggers up`: deploy the compiled template to the local edge and serve it until SIGINT/SIGTERM.

import { type FSWatcher, watch } from "node:fs";
import type { FunctionRegistry } from "../../lambda/ports.js";
import type { MutableFunctionRegistry } from "../../lambda/registry.js";
import type { ApplySummary } from "../../local-deploy/apply-template.js";
import { type LocalStack, upStack } from "../../local-deploy/up.js";
import { createLogger } from "../../shared/logger.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { reportError } from "../report-problems.js";
import { parseOrExit } from "./options.js";
import { databaseUrlOf, processStopSignal, type StopSignal } from "./serve.js";

export const UP_USAGE = `Usage: cognito-triggers up [--config serverless.yml] [--stage s] [--region r] [--port 9339] [--host 127.0.0.1]
                           [--data dir | --memory | --database-url postgres://...] [--watch]

Compiles the service and applies its CloudFormation template to the local edge as a stack create or
update (diffed by logical id: users, tables and logs survive), then serves Cognito, Lambda, Logs,
DynamoDB and KMS on one port until interrupted. Types without a local handler are skipped with a
warning. --watch redeploys when serverless.yml or handler files change. --database-url (or DATABASE_URL)
keeps users, tokens and logs in PostgreSQL; the stack's state stays in the data directory.
`;

/** Delay after the last file change before redeploying: editors write several times per save. */
const WATCH_DEBOUNCE_MS = 300;

export function formatSummary(stack: LocalStack, summary: ApplySummary): string {
  const lines: string[] = [];
  const list = (label: string, ids: readonly string[]) => {
    if (ids.length > 0) lines.push(`  ${label.padEnd(10)} ${ids.join(", ")}`);
  };
  lines.push(`stack ${stack.stackName}:`);
  list("created", summary.created);
  list("updated", summary.updated);
  list("replaced", summary.replaced);
  list("deleted", summary.deleted);
  list("unchanged", summary.unchanged);
  list(
    "skipped",
    summary.skipped.map((s) => `${s.logicalId} (${s.type})`),
  );
  const outputs = stack.state().outputs;
  if (Object.keys(outputs).length > 0) {
    lines.push("outputs:");
    for (const [name, output] of Object.entries(outputs))
      lines.push(
        `  ${name} = ${typeof output.value === "string" ? output.value : JSON.stringify(output.value)}${output.exportName ? ` (export ${output.exportName})` : ""}`,
      );
  }
  return `${lines.join("\n")}\n`;
}

export async function upCommand(
  argv: string[],
  io: CliIo,
  stopSignal: () => StopSignal = processStopSignal,
): Promise<number> {
  const values = parseOrExit(
    argv,
    {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      data: { type: "string", short: "d" },
      memory: { type: "boolean" },
      "database-url": { type: "string" },
      watch: { type: "boolean", short: "w" },
    },
    UP_USAGE,
    io,
  );
  if (typeof values === "number") return values;
  const port = Number(values.port ?? 9339);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`error: --port must be a port number, not "${values.port}"\n`);
    return EXIT_USAGE;
  }
  if (values.memory && values.data) {
    io.stderr("error: --data and --memory cannot be used together\n");
    return EXIT_USAGE;
  }
  const databaseUrl = databaseUrlOf(values["database-url"] as string | undefined, io.env);
  if (typeof databaseUrl === "object") {
    io.stderr(`error: ${databaseUrl.error}\n`);
    return EXIT_USAGE;
  }
  let stack: LocalStack;
  try {
    stack = await upStack({
      configPath: values.config as string | undefined,
      cwd: io.cwd,
      stage: values.stage as string | undefined,
      region: (values.region as string | undefined) ?? io.env.AWS_REGION,
      port,
      host: values.host as string | undefined,
      dataDir: values.data as string | undefined,
      memory: Boolean(values.memory),
      databaseUrl,
      env: io.env,
      clock: io.clock,
      logger: createLogger("warn", io.stderr),
      log: (line) => io.stderr(`${line}\n`),
    });
  } catch (error) {
    return reportError(io, error);
  }
  io.stdout(formatSummary(stack, stack.summary));
  io.stdout(`cognito-triggers up: ${stack.stackName} serving on ${stack.server.url}\n`);

  let watcher: FSWatcher | undefined;
  let reloads = 0;
  let timer: NodeJS.Timeout | undefined;
  if (values.watch) {
    watcher = watch(stack.serviceDir, { recursive: true }, (_event, file) => {
      const name = String(file ?? "");
      // Local state and dependencies change on their own; only the service's sources matter.
      if (/(^|[\\/])(node_modules|\.cognito-triggers|\.git|dist)([\\/]|$)/.test(name)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        io.stdout(`cognito-triggers up: ${name} changed, redeploying\n`);
        reloadHandlers(stack.server.deps.lambda.functions, String(++reloads));
        stack
          .redeploy()
          .then(() => io.stdout(formatSummary(stack, stack.summary)))
          .catch((error: unknown) => {
            io.stderr(`error: redeploy failed: ${(error as Error).message}\n`);
          });
      }, WATCH_DEBOUNCE_MS);
    });
  }
  await stopSignal();
  watcher?.close();
  clearTimeout(timer);
  io.stdout("cognito-triggers up: shutting down\n");
  try {
    await stack.close();
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}

/**
 * Handler files changed: every local function gets a new code version, so its warm workers retire and
 * the next invocation loads the new code (a redeploy alone keeps definitions, and workers, unchanged).
 */
export function reloadHandlers(functions: FunctionRegistry, version: string): void {
  const registry = functions as Partial<MutableFunctionRegistry>;
  if (!registry.put) return;
  for (const definition of functions.list()) registry.put({ ...definition, codeVersion: version });
}
