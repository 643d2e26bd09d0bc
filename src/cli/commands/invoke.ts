// `cognito-triggers invoke <function>`: runs a serverless.yml function's handler on a Cognito event, as Cognito would.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { CognitoError } from "../../cognito/errors.js";
import { COGNITO_DEADLINE_MS } from "../../cognito/trigger-runner/cognito-runner.js";
import { responseOf, timedOut } from "../../cognito/trigger-runner/failures.js";
import { ProblemList } from "../../compiler/errors.js";
import { loadService } from "../../compiler/load-service.js";
import type { CognitoEvent, FunctionModel } from "../../compiler/model.js";
import { readService } from "../../compiler/read-service.js";
import { functionsFromService } from "../../lambda/from-serverless.js";
import { invocationLog } from "../../lambda/lambda-format.js";
import type { FunctionDefinition, InvokeResult } from "../../lambda/ports.js";
import { createRegistry } from "../../lambda/registry.js";
import { createWorkerInvoker } from "../../lambda/worker-invoker.js";
import { cryptoRandom } from "../../shared/random.js";
import { buildAnyEvent } from "../../triggers/build-event.js";
import { TRIGGER_SOURCES, type TriggerSource, triggerOfSource } from "../../triggers/sources.js";
import { customMessageProblem } from "../../triggers/validate-response.js";
import { type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../io.js";
import { reportError } from "../report-problems.js";
import {
  EVENT_OPTIONS,
  eventOptions,
  eventVersion,
  parseWithPositionals,
  triggerSourceOf,
  UsageError,
} from "./event.js";

export const INVOKE_USAGE = `Usage: cognito-triggers invoke <function> --source <triggerSource> [--username u] [--attr name=value ...]
                               [--pool id] [--client id] [--metadata k=v ...] [--validation-data k=v ...]
                               [--lambda-version V2_0] [--event file.json] [--endpoint-url url]
                               [--config serverless.yml] [--stage s] [--region r]

Runs the handler of <function> (its key in serverless.yml, or its deployed name) in the local Lambda
runtime on the event Cognito sends for --source, built as "cognito-triggers event" builds it, or on the
event in --event. Prints what the function returned (JSON) on stdout, and its log (START, console
output, END, REPORT) and Cognito's verdict on stderr: the error the API call would fail with if the
handler failed, ran past Cognito's 5 seconds, or returned a response Cognito rejects. A function wired
to one trigger needs no --source (the trigger's first source is used). --endpoint-url sets the
handler's AWS_ENDPOINT_URL, e.g. to a running "cognito-triggers serve". Exit 0 when Cognito would
accept the result, 1 when not, 2 on bad usage or configuration.
`;

const ACCOUNT_ID = "000000000000";

export async function invokeCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseWithPositionals(
    argv,
    {
      ...EVENT_OPTIONS,
      source: { type: "string" },
      event: { type: "string", short: "e" },
      "endpoint-url": { type: "string" },
      config: { type: "string", short: "c" },
      stage: { type: "string", short: "s" },
    },
    INVOKE_USAGE,
    io,
  );
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(INVOKE_USAGE);
    return EXIT_OK;
  }
  if (positionals.length !== 1) {
    io.stderr(`error: name one function (got ${positionals.length})\n\n${INVOKE_USAGE}`);
    return EXIT_USAGE;
  }
  const name = positionals[0] as string;
  const text = (option: string) => values[option] as string | undefined;

  let target: Target;
  try {
    target = await findFunction(name, io, text("config"), text("stage"), text("region"));
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    return reportError(io, error);
  }

  let event: Record<string, unknown>;
  try {
    event = await eventFor(target, values, text, io);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof TypeError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }

  const endpoint = text("endpoint-url");
  const invoker = createWorkerInvoker({
    registry: createRegistry([target.fn]),
    // The invocation's log comes back with its result; nothing keeps it.
    logs: { append: async () => {} },
    clock: io.clock,
    random: cryptoRandom,
    edgeUrl: () => endpoint,
    baseEnv: io.env,
  });
  let result: InvokeResult;
  try {
    result = await invoker.invoke(target.fn.arn, JSON.stringify(event));
  } catch (error) {
    io.stderr(`error: the function could not be invoked: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  } finally {
    await invoker.close();
  }
  io.stderr(invocationLog(result) ?? "");
  io.stdout(`${pretty(result.payload)}\n`);
  return verdict(event, result, io);
}

interface Target {
  fn: FunctionDefinition;
  key: string;
  /** The cognitoUserPool events that wire the function, for a default source and event version. */
  wiring: CognitoEvent[];
  region: string;
}

async function findFunction(
  name: string,
  io: CliIo,
  configPath: string | undefined,
  stage: string | undefined,
  region: string | undefined,
): Promise<Target> {
  const loaded = await loadService({ configPath, cwd: io.cwd, stage, region, env: io.env });
  const problems = new ProblemList(loaded.locate);
  const model = readService(
    { config: loaded.config, stage: loaded.stage, region: loaded.region },
    problems,
    new ProblemList(),
  );
  problems.throwIfAny();
  const entry: FunctionModel | undefined = model.functions.find((f) => f.key === name || f.name === name);
  if (!entry) {
    const keys = model.functions.map((f) => f.key);
    throw new UsageError(
      `no function "${name}" in ${loaded.configPath}${keys.length ? ` (functions: ${keys.join(", ")})` : ""}`,
    );
  }
  const definitions = functionsFromService(loaded, {
    region: loaded.region,
    accountId: ACCOUNT_ID,
    warn: (message) => {
      if (message.startsWith(`function "${entry.key}"`)) io.stderr(`warning: ${message}\n`);
    },
  });
  const fn = definitions.find((d) => d.name === entry.name);
  if (!fn) throw new UsageError(`function "${entry.key}" cannot run locally (see the warning above)`);
  return {
    fn,
    key: entry.key,
    wiring: model.cognitoEvents.filter((e) => e.functionKey === entry.key),
    region: loaded.region,
  };
}

async function eventFor(
  target: Target,
  values: Record<string, unknown>,
  text: (option: string) => string | undefined,
  io: CliIo,
): Promise<Record<string, unknown>> {
  const file = text("event");
  if (file !== undefined) {
    if (text("source") !== undefined) throw new UsageError("--event and --source cannot be used together");
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(resolve(io.cwd, file), "utf8"));
    } catch (error) {
      throw new UsageError(`cannot read the event in ${file}: ${(error as Error).message}`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new UsageError(`${file} does not hold a JSON object`);
    return parsed as Record<string, unknown>;
  }
  const triggers = [...new Set(target.wiring.map((e) => e.trigger))];
  let source: TriggerSource;
  const named = text("source");
  if (named !== undefined) {
    source = triggerSourceOf(named);
    const trigger = triggerOfSource(source);
    if (triggers.length > 0 && trigger && !triggers.includes(trigger))
      io.stderr(
        `note: ${target.key} is wired to ${triggers.join(", ")} in serverless.yml, not to ${trigger}; invoking it anyway\n`,
      );
  } else {
    const only = triggers.length === 1 ? (triggers[0] as keyof typeof TRIGGER_SOURCES) : undefined;
    const first = only ? TRIGGER_SOURCES[only]?.[0] : undefined;
    if (!first)
      throw new UsageError(
        triggers.length === 0
          ? `--source is required: ${target.key} has no cognitoUserPool event to take a trigger from`
          : `--source is required: ${target.key} is wired to ${triggers.join(", ")}`,
      );
    source = first;
    io.stderr(`note: no --source given: ${target.key} is the ${only} trigger, invoking it with ${first}\n`);
  }
  const options = eventOptions(values as Parameters<typeof eventOptions>[0]);
  // The service's region, unless the pool id names one.
  if (!/^[a-z]{2}(-[a-z]+)+-\d+_/.test(options.userPoolId ?? "")) options.region ??= target.region;
  // The pool's PreTokenGenerationConfig decides the event version, as on AWS.
  if (source.startsWith("TokenGeneration_") && options.version === undefined) {
    const configured = target.wiring.find((e) => e.trigger === "PreTokenGeneration")?.lambdaVersion;
    const version = eventVersion(configured);
    if (version && !(source === "TokenGeneration_ClientCredentials" && version !== "3"))
      options.version = version;
  }
  return buildAnyEvent(source, options) as unknown as Record<string, unknown>;
}

function pretty(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** What Cognito would make of the result; exit 1 whenever the API call would fail because of it. */
function verdict(event: Record<string, unknown>, result: InvokeResult, io: CliIo): number {
  const source = String(event.triggerSource);
  const trigger = triggerOfSource(source);
  if (result.timedOut) io.stderr("error: the handler timed out\n");
  else if (result.functionError) io.stderr(`error: the handler failed (${result.functionError})\n`);
  if (!trigger) return result.functionError || result.timedOut ? EXIT_FAILURE : EXIT_OK;
  if (trigger === "CustomSMSSender" || trigger === "CustomEmailSender") {
    if (result.functionError || result.timedOut)
      io.stderr(
        "Cognito invokes custom senders asynchronously: the API call succeeds, the message is not sent.\n",
      );
    return result.functionError || result.timedOut ? EXIT_FAILURE : EXIT_OK;
  }
  const cognito = (error: CognitoError) => {
    io.stderr(`Cognito would answer ${error.type}: ${error.message}\n`);
    return EXIT_FAILURE;
  };
  if (result.timedOut || result.durationMs > COGNITO_DEADLINE_MS) {
    if (!result.timedOut)
      io.stderr(
        `error: the handler took ${Math.round(result.durationMs)} ms; Cognito waits ${COGNITO_DEADLINE_MS} ms\n`,
      );
    return cognito(timedOut(trigger));
  }
  try {
    const response = responseOf(trigger, String(event.version ?? "1"), result);
    if (trigger === "CustomMessage") {
      const messages = {
        smsMessage: typeof response.smsMessage === "string" ? response.smsMessage : null,
        emailMessage: typeof response.emailMessage === "string" ? response.emailMessage : null,
        emailSubject: typeof response.emailSubject === "string" ? response.emailSubject : null,
      };
      // A six-digit code stands in for the one Cognito fills in, for the length limits.
      const rendered = (text: string) =>
        text.replaceAll("{####}", "123456").replaceAll("{username}", String(event.userName));
      for (const medium of ["EMAIL", "SMS"] as const) {
        const problem = customMessageProblem(source, medium, messages, rendered);
        if (problem) return cognito(new CognitoError(problem.type, problem.message));
      }
    }
  } catch (error) {
    if (error instanceof CognitoError) return cognito(error);
    throw error;
  }
  return EXIT_OK;
}
