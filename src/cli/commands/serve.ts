// `cognito-triggers serve`: the local Cognito server until SIGINT/SIGTERM.
import { resolve } from "node:path";
import { startServer } from "../../server/create-server.js";
import { createLogger, type LogLevel } from "../../server/logger.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { parseOrExit } from "./options.js";

export const SERVE_USAGE = `Usage: cognito-triggers serve [--port 9339] [--host 127.0.0.1] [--region us-east-1] [--data dir | --memory]
                              [--issuer url] [--no-outbox] [--log-level debug|info|warn|error|silent]

Runs a local Amazon Cognito user pool server (the Cognito Identity Provider API, AWS JSON 1.1) until
interrupted. Point the AWS SDK, the AWS CLI (--endpoint-url) or amazon-cognito-identity-js at it.
Data persists in SQLite under --data (default .cognito-triggers/ in the working directory); --memory
keeps nothing. Codes and temporary passwords are readable with "cognito-triggers outbox" and at
GET /_local/outbox unless --no-outbox.
`;

const LEVELS = ["debug", "info", "warn", "error", "silent"];

/** Resolves when the process is asked to stop; tests pass their own signal. */
export type StopSignal = Promise<void>;

export function processStopSignal(): StopSignal {
  return new Promise((resolveStop) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolveStop();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

export async function serveCommand(
  argv: string[],
  io: CliIo,
  stopSignal: () => StopSignal = processStopSignal,
): Promise<number> {
  const values = parseOrExit(
    argv,
    {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      region: { type: "string", short: "r" },
      data: { type: "string", short: "d" },
      memory: { type: "boolean" },
      issuer: { type: "string" },
      "no-outbox": { type: "boolean" },
      "log-level": { type: "string" },
    },
    SERVE_USAGE,
    io,
  );
  if (typeof values === "number") return values;
  const port = Number(values.port ?? 9339);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`error: --port must be a port number, not "${values.port}"\n`);
    return EXIT_USAGE;
  }
  const level = (values["log-level"] as string | undefined) ?? "info";
  if (!LEVELS.includes(level)) {
    io.stderr(`error: --log-level must be one of ${LEVELS.join(", ")}\n`);
    return EXIT_USAGE;
  }
  if (values.memory && values.data) {
    io.stderr("error: --data and --memory cannot be used together\n");
    return EXIT_USAGE;
  }
  const dataDir = values.memory
    ? undefined
    : resolve(io.cwd, (values.data as string | undefined) ?? ".cognito-triggers");
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      port,
      host: (values.host as string | undefined) ?? "127.0.0.1",
      region: (values.region as string | undefined) ?? io.env.AWS_REGION ?? "us-east-1",
      memory: Boolean(values.memory),
      dataDir,
      issuerBase: values.issuer as string | undefined,
      outbox: !values["no-outbox"],
      clock: io.clock,
      logger: createLogger(level as LogLevel, io.stderr),
    });
  } catch (error) {
    io.stderr(`error: cannot start the server: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(
    `cognito-triggers serve: listening on ${server.url} (region ${server.deps.config.region}, ${dataDir ? `data in ${dataDir}` : "in memory"})\n`,
  );
  await stopSignal();
  io.stdout("cognito-triggers serve: shutting down\n");
  await server.close();
  return EXIT_OK;
}
