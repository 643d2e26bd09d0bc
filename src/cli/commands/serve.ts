// `cognito-triggers serve`: the local Cognito server until SIGINT/SIGTERM.
import { resolve } from "node:path";
import { loadService } from "../../compiler/load-service.js";
import { DEFAULT_ACCOUNT_ID, startServer } from "../../edge/create-server.js";
import { functionsFromService } from "../../lambda/from-serverless.js";
import type { FunctionDefinition } from "../../lambda/ports.js";
import { createLogger, type LogLevel } from "../../shared/logger.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { reportError } from "../report-problems.js";
import { parseOrExit } from "./options.js";

export const SERVE_USAGE = `Usage: cognito-triggers serve [--port 9339] [--host 127.0.0.1] [--region us-east-1]
                              [--data dir | --memory | --database-url postgres://...]
                              [--functions serverless.yml] [--stage s] [--lambda-endpoint url]
                              [--issuer url] [--no-outbox] [--log-level debug|info|warn|error|silent]

Runs a local Amazon Cognito user pool server (the Cognito Identity Provider API, AWS JSON 1.1) until
interrupted. Point the AWS SDK, the AWS CLI (--endpoint-url) or amazon-cognito-identity-js at it.
Data persists in SQLite under --data (default .cognito-triggers/ in the working directory); --memory
keeps nothing. --database-url (or DATABASE_URL) keeps it in PostgreSQL instead, shared by every server
on that database (run several behind a load balancer); TLS as in the URL (?sslmode=require&sslrootcert=...),
migrations applied on start. Codes and temporary passwords are readable with "cognito-triggers outbox" and at
GET /_local/outbox unless --no-outbox.
Triggers: each pool's LambdaConfig names function ARNs. --functions runs the handlers of a
serverless.yml in warm worker threads (TypeScript too) with AWS_ENDPOINT_URL pointing here;
--lambda-endpoint sends every other ARN to a Lambda Invoke API (sam local start-lambda,
serverless-offline, LocalStack, AWS). Logs: "cognito-triggers logs <function>".
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
      "database-url": { type: "string" },
      issuer: { type: "string" },
      "no-outbox": { type: "boolean" },
      "log-level": { type: "string" },
      functions: { type: "string", short: "f" },
      stage: { type: "string", short: "s" },
      "lambda-endpoint": { type: "string" },
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
  const databaseUrl = databaseUrlOf(values["database-url"] as string | undefined, io.env);
  if (typeof databaseUrl === "object") {
    io.stderr(`error: ${databaseUrl.error}\n`);
    return EXIT_USAGE;
  }
  if (databaseUrl && values.memory) {
    io.stderr("error: --database-url and --memory cannot be used together\n");
    return EXIT_USAGE;
  }
  // With a database the data dir holds only local tables, and only when asked for: several servers
  // on one database must not share (and lock) one directory by default.
  const dataDir =
    values.memory || (databaseUrl && !values.data)
      ? undefined
      : resolve(io.cwd, (values.data as string | undefined) ?? ".cognito-triggers");
  const region = (values.region as string | undefined) ?? io.env.AWS_REGION ?? "us-east-1";
  let functions: FunctionDefinition[] = [];
  if (values.functions) {
    try {
      const loaded = await loadService({
        configPath: values.functions as string,
        cwd: io.cwd,
        stage: values.stage as string | undefined,
        region,
        env: io.env,
      });
      functions = functionsFromService(loaded, {
        region,
        accountId: DEFAULT_ACCOUNT_ID,
        warn: (message) => io.stderr(`warning: ${message}\n`),
      });
    } catch (error) {
      return reportError(io, error);
    }
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      port,
      host: (values.host as string | undefined) ?? "127.0.0.1",
      region,
      functions,
      lambdaEndpoint: values["lambda-endpoint"] as string | undefined,
      handlerEnv: handlerEnv(io.env),
      memory: Boolean(values.memory),
      dataDir,
      databaseUrl,
      issuerBase: values.issuer as string | undefined,
      outbox: !values["no-outbox"],
      sweepIntervalMs: positiveMs(io.env.COGNITO_TRIGGERS_SWEEP_INTERVAL_MS),
      logRetentionMs: positiveMs(io.env.COGNITO_TRIGGERS_LOG_RETENTION_MS),
      clock: io.clock,
      logger: createLogger(level as LogLevel, io.stderr),
    });
  } catch (error) {
    io.stderr(`error: cannot start the server: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  for (const fn of functions) io.stdout(`  function ${fn.name} (${fn.arn})\n`);
  io.stdout(
    `cognito-triggers serve: listening on ${server.url} (region ${server.deps.config.region}, ${databaseUrl ? `data in PostgreSQL ${redactUrl(databaseUrl)}` : dataDir ? `data in ${dataDir}` : "in memory"})\n`,
  );
  await stopSignal();
  io.stdout("cognito-triggers serve: shutting down\n");
  await server.close();
  return EXIT_OK;
}

/**
 * The PostgreSQL URL from --database-url, else DATABASE_URL; undefined for neither. Only postgres:
 * and postgresql: URLs: anything else is a typo that would otherwise fall back to SQLite silently.
 */
export function databaseUrlOf(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined | { error: string } {
  const url = flag ?? (env.DATABASE_URL || undefined);
  if (url === undefined) return undefined;
  const protocol = URL.canParse(url) ? new URL(url).protocol : "";
  if (protocol !== "postgres:" && protocol !== "postgresql:")
    return { error: `--database-url must be a postgres:// URL, not "${redactUrl(url)}"` };
  return url;
}

/** The URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url.replace(/:[^:@/]*@/, ":***@");
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

/** What local handlers inherit from the shell: enough to run, never the shell's credentials or secrets. */
export function handlerEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "NODE_EXTRA_CA_CERTS"]) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** A duration in milliseconds from the environment; anything else means the default. */
function positiveMs(value: string | undefined): number | undefined {
  const ms = Number(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
