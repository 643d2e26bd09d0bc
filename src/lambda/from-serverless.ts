// The functions of a serverless.yml as the local runtime runs them: deployed names, ARNs, handler files, environment, limits.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ConfigPath } from "../compiler/errors.js";
import { formatPath, ProblemList } from "../compiler/errors.js";
import { DEFAULT_RUNTIME } from "../compiler/functions.js";
import { asObject, isObject } from "../compiler/json.js";
import { readService } from "../compiler/read-service.js";
import type { Json, LoadedService } from "../compiler/service-model.js";
import type { FunctionDefinition } from "./ports.js";

export interface FromServiceOptions {
  region: string;
  accountId: string;
  /** Settings the local runtime leaves out (unresolvable environment values, non-Node runtimes). */
  warn?: ((message: string) => void) | undefined;
}

/** Lambda's Node runtime looks for these, in this order; TypeScript is bundled before it runs. */
export const HANDLER_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts"] as const;

const DEFAULT_TIMEOUT_SECONDS = 6;
const DEFAULT_MEMORY_SIZE = 1024;

/**
 * Every function of the service, or a CompileError listing every problem (a handler file that does
 * not exist, a malformed setting). Environment values that are CloudFormation intrinsics cannot be
 * resolved without a deployment: they are left out, with a warning naming the function and variable.
 */
export function functionsFromService(
  loaded: LoadedService,
  options: FromServiceOptions,
): FunctionDefinition[] {
  const problems = new ProblemList(loaded.locate);
  // Warnings of the compiler (unsupported event types, settings) concern deployment, not local runs.
  const model = readService(
    { config: loaded.config, stage: loaded.stage, region: loaded.region },
    problems,
    new ProblemList(),
  );
  problems.throwIfAny();

  const warn = options.warn ?? (() => {});
  const provider = model.provider;
  const definitions: FunctionDefinition[] = [];
  for (const fn of model.functions) {
    const { config, key } = fn;
    const path: ConfigPath = ["functions", key];
    const runtime = stringSetting(config.runtime) ?? stringSetting(provider.runtime) ?? DEFAULT_RUNTIME;
    if (!runtime.startsWith("nodejs")) {
      warn(
        `function "${key}": runtime ${runtime} cannot run locally (only Node.js runtimes can); it was left out`,
      );
      continue;
    }
    const handler = config.handler as string;
    const { module, exportName } = splitHandler(handler);
    if (exportName === "") {
      problems.add(
        "HANDLER_NOT_FOUND",
        `function "${key}": handler "${handler}" must be <module>.<export>, e.g. src/handler.main`,
        [...path, "handler"],
      );
      continue;
    }
    const file = HANDLER_EXTENSIONS.map((ext) => `${module}${ext}`).find((candidate) =>
      existsSync(join(loaded.serviceDir, candidate)),
    );
    if (!file) {
      problems.add(
        "HANDLER_NOT_FOUND",
        `function "${key}": handler module ${module} not found (looked for ${HANDLER_EXTENSIONS.map((ext) => `${module}${ext}`).join(", ")} in ${loaded.serviceDir})`,
        [...path, "handler"],
      );
      continue;
    }
    definitions.push({
      name: fn.name,
      arn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${fn.name}`,
      modulePath: join(loaded.serviceDir, file),
      exportName,
      cwd: loaded.serviceDir,
      runtime,
      timeout: positiveNumber(config.timeout) || positiveNumber(provider.timeout) || DEFAULT_TIMEOUT_SECONDS,
      memorySize:
        positiveNumber(config.memorySize) || positiveNumber(provider.memorySize) || DEFAULT_MEMORY_SIZE,
      environment: environmentOf(key, asObject(provider.environment), asObject(config.environment), warn),
    });
  }
  problems.throwIfAny();
  return definitions;
}

/**
 * Lambda's Node runtime splits `dir/file.a.b` at the first dot of the last path segment:
 * module `dir/file`, export `a.b` (a nested property).
 */
export function splitHandler(handler: string): { module: string; exportName: string } {
  const slash = handler.lastIndexOf("/");
  const dot = handler.indexOf(".", slash + 1);
  if (dot < 0) return { module: handler, exportName: "" };
  return { module: handler.slice(0, dot), exportName: handler.slice(dot + 1) };
}

function stringSetting(value: Json | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function positiveNumber(value: Json | undefined): number {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) && number > 0 ? number : 0;
}

function environmentOf(
  key: string,
  provider: Record<string, Json> | undefined,
  own: Record<string, Json> | undefined,
  warn: (message: string) => void,
): Record<string, string> {
  const environment: Record<string, string> = {};
  const merged: Record<string, Json> = { ...provider, ...own };
  for (const [name, value] of Object.entries(merged)) {
    const where = formatPath([own && name in own ? `functions.${key}` : "provider", "environment", name]);
    if (typeof value === "string") environment[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") environment[name] = String(value);
    else if (isObject(value) || Array.isArray(value))
      warn(
        `function "${key}": ${where} is a CloudFormation value (${describe(value)}) that only a deployment resolves; it was left out of the local environment`,
      );
    else warn(`function "${key}": ${where} has no value; it was left out of the local environment`);
  }
  return environment;
}

function describe(value: Json): string {
  if (isObject(value)) {
    const first = Object.keys(value)[0];
    return first ? first : "an object";
  }
  return "a list";
}
