// AWS::Lambda::Function, Version, Alias and Permission: functions the edge runs from the service directory, and their policies.
import { existsSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { CUSTOM_RESOURCE_HANDLER } from "../../compiler/custom-resource-infra.js";
import { HANDLER_EXTENSIONS, splitHandler } from "../../lambda/from-serverless.js";
import type { PermissionStatement } from "../../lambda/permissions.js";
import type { FunctionDefinition } from "../../lambda/ports.js";
import { functionNameOf, type MutableFunctionRegistry } from "../../lambda/registry.js";
import type { ResourceContext, ResourceHandler, ResourceHandlers, ResourceResult } from "../types.js";
import { ResourceError } from "../types.js";
import {
  generatedName,
  optionalNumber,
  optionalString,
  partitionOf,
  requiredString,
  warnOnce,
} from "./physical-names.js";

/** CloudFormation's defaults when the template leaves them out. */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_SIZE = 128;
const DEFAULT_RUNTIME = "nodejs20.x";

/** The project's own custom-resource handler, which the compiled template names by its path in the zip. */
const OWN_CUSTOM_RESOURCE_MODULE = fileURLToPath(new URL("../../custom-resource/handler", import.meta.url));

export const functionArnOf = (ctx: ResourceContext, name: string) =>
  `arn:${partitionOf(ctx.region)}:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;

/** A name, a partial ARN or a full (possibly qualified) ARN → the unqualified function ARN. */
function functionArnFrom(ctx: ResourceContext, nameOrArn: string): string {
  const full = /^(arn:[^:]+:lambda:[^:]*:[^:]*:function:[^:]+)(?::[^:]+)?$/.exec(nameOrArn);
  if (full?.[1]) return full[1];
  const partial = /^(\d{12}):function:([^:]+)/.exec(nameOrArn);
  if (partial)
    return `arn:${partitionOf(ctx.region)}:lambda:${ctx.region}:${partial[1]}:function:${partial[2]}`;
  return functionArnOf(ctx, functionNameOf(nameOrArn));
}

function registryOf(ctx: ResourceContext): MutableFunctionRegistry {
  const functions = ctx.server.deps.lambda.functions as Partial<MutableFunctionRegistry>;
  if (typeof functions.put !== "function" || typeof functions.remove !== "function")
    throw new ResourceError(ctx.logicalId, "the local edge's function registry cannot be changed");
  return functions as MutableFunctionRegistry;
}

/** The handler's module file: under the service directory, or the project's own custom-resource handler. */
function moduleOf(handler: string, ctx: ResourceContext): { modulePath: string; exportName: string } {
  const { module, exportName } = splitHandler(handler);
  if (exportName === "")
    throw new ResourceError(
      ctx.logicalId,
      `Handler "${handler}" must be <module>.<export>, e.g. src/handler.main`,
    );
  const base =
    handler === CUSTOM_RESOURCE_HANDLER ? OWN_CUSTOM_RESOURCE_MODULE : join(ctx.serviceDir, module);
  const outside = relative(ctx.serviceDir, base).startsWith("..") || isAbsolute(module);
  if (outside && handler !== CUSTOM_RESOURCE_HANDLER)
    throw new ResourceError(ctx.logicalId, `Handler "${handler}" points outside the service directory`);
  const found = HANDLER_EXTENSIONS.map((ext) => `${base}${ext}`).find((file) => existsSync(file));
  if (!found)
    throw new ResourceError(
      ctx.logicalId,
      `handler module ${module} not found (looked for ${HANDLER_EXTENSIONS.map((ext) => `${module}${ext}`).join(", ")} in ${ctx.serviceDir})`,
    );
  return { modulePath: found, exportName };
}

function environmentOf(properties: Record<string, unknown>, ctx: ResourceContext): Record<string, string> {
  const environment = properties.Environment;
  if (environment === undefined || environment === null) return {};
  const variables = (environment as { Variables?: unknown }).Variables;
  if (variables === undefined || variables === null) return {};
  if (typeof variables !== "object" || Array.isArray(variables))
    throw new ResourceError(ctx.logicalId, "Property Environment.Variables must be a map of strings");
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables as Record<string, unknown>)) {
    if (typeof value === "string") out[name] = value;
    else if (typeof value === "number" || typeof value === "boolean") out[name] = String(value);
    else
      throw new ResourceError(
        ctx.logicalId,
        `Environment variable ${name} must be a string, got ${JSON.stringify(value)}`,
      );
  }
  return out;
}

/** The function as the edge runs it, or undefined when its runtime cannot run locally (recorded only). */
function definitionOf(
  name: string,
  properties: Record<string, unknown>,
  ctx: ResourceContext,
): FunctionDefinition | undefined {
  const runtime = optionalString(properties, "Runtime", ctx) ?? DEFAULT_RUNTIME;
  if (!runtime.startsWith("nodejs")) {
    ctx.warn(
      `${ctx.logicalId}: runtime ${runtime} cannot run locally (only Node.js runtimes can); the function is recorded but not run`,
    );
    return undefined;
  }
  const code = properties.Code as Record<string, unknown> | undefined;
  if (code && typeof code === "object" && ("S3Key" in code || "ZipFile" in code || "ImageUri" in code))
    warnOnce(
      ctx,
      "lambda-code",
      "AWS::Lambda::Function: Code (the deployment package) is ignored locally; handlers run from the service directory",
    );
  const { modulePath, exportName } = moduleOf(requiredString(properties, "Handler", ctx), ctx);
  return {
    name,
    arn: functionArnOf(ctx, name),
    modulePath,
    exportName,
    cwd: ctx.serviceDir,
    runtime,
    timeout: optionalNumber(properties, "Timeout", ctx) ?? DEFAULT_TIMEOUT_SECONDS,
    memorySize: optionalNumber(properties, "MemorySize", ctx) ?? DEFAULT_MEMORY_SIZE,
    environment: environmentOf(properties, ctx),
  };
}

/** Puts (or replaces) the function and marks its invocations by Cognito as checked against its policy. */
function deploy(name: string, properties: Record<string, unknown>, ctx: ResourceContext): ResourceResult {
  const definition = definitionOf(name, properties, ctx);
  if (definition) registryOf(ctx).put(definition);
  ctx.server.deps.lambda.permissions.enforce(name, true);
  return { physicalId: name, attributes: { Arn: functionArnOf(ctx, name) } };
}

export const functionHandler: ResourceHandler = {
  async create(properties, ctx) {
    const name = optionalString(properties, "FunctionName", ctx) ?? generatedName(ctx);
    if (ctx.server.deps.lambda.functions.resolve(name))
      throw new ResourceError(ctx.logicalId, `Function already exist: ${name}`);
    return deploy(name, properties, ctx);
  },
  async update(physicalId, properties, _previous, ctx) {
    // A new FunctionName replaces the function (the engine deletes the old one); otherwise the
    // re-put definition makes the runtime start fresh workers with the new code and environment.
    const wanted = optionalString(properties, "FunctionName", ctx);
    return deploy(wanted ?? physicalId, properties, ctx);
  },
  async delete(physicalId, _properties, ctx) {
    const { functions, permissions } = ctx.server.deps.lambda;
    if (typeof (functions as Partial<MutableFunctionRegistry>).remove === "function")
      (functions as MutableFunctionRegistry).remove(physicalId);
    // Lambda deletes a function's policy with it.
    for (const statement of permissions.list(physicalId)) permissions.remove(physicalId, statement.sid);
    permissions.enforce(physicalId, false);
  },
  async restore(physicalId, properties, ctx) {
    deploy(physicalId, properties, ctx);
  },
};

/** Versions are recorded: the edge always runs the latest code, and resolves `<arn>:1` to it. */
export const versionHandler: ResourceHandler = {
  async create(properties, ctx) {
    const fnArn = functionArnFrom(ctx, requiredString(properties, "FunctionName", ctx));
    return { physicalId: `${fnArn}:1`, attributes: { Version: "1", FunctionArn: fnArn } };
  },
  async update(_physicalId, properties, _previous, ctx) {
    return versionHandler.create(properties, ctx);
  },
  async delete() {},
};

/** Aliases are recorded: the registry resolves `<function arn>:<alias>` to the function. */
export const lambdaAliasHandler: ResourceHandler = {
  async create(properties, ctx) {
    const fnArn = functionArnFrom(ctx, requiredString(properties, "FunctionName", ctx));
    const name = requiredString(properties, "Name", ctx);
    const aliasArn = `${fnArn}:${name}`;
    return { physicalId: aliasArn, attributes: { AliasArn: aliasArn } };
  },
  async update(_physicalId, properties, _previous, ctx) {
    return lambdaAliasHandler.create(properties, ctx);
  },
  async delete() {},
};

function statementOf(
  sid: string,
  properties: Record<string, unknown>,
  ctx: ResourceContext,
): PermissionStatement {
  return {
    sid,
    action: requiredString(properties, "Action", ctx),
    principal: requiredString(properties, "Principal", ctx),
    sourceArn: optionalString(properties, "SourceArn", ctx),
    sourceAccount: optionalString(properties, "SourceAccount", ctx),
  };
}

/** The function a permission is on: a name, an ARN or an alias ARN (the policy then covers the function). */
const targetOf = (properties: Record<string, unknown>, ctx: ResourceContext) =>
  functionNameOf(requiredString(properties, "FunctionName", ctx));

export const permissionHandler: ResourceHandler = {
  async create(properties, ctx) {
    const sid = generatedName(ctx, 100);
    const statement = statementOf(sid, properties, ctx);
    const fn = targetOf(properties, ctx);
    if (!ctx.server.deps.lambda.permissions.add(fn, statement))
      throw new ResourceError(ctx.logicalId, `The statement id (${sid}) provided already exists`);
    return { physicalId: sid, attributes: {} };
  },
  async update(_physicalId, properties, _previous, ctx) {
    // Every property of AWS::Lambda::Permission requires replacement: a new statement, the engine
    // then deletes the old one.
    return permissionHandler.create(properties, ctx);
  },
  async delete(physicalId, properties, ctx) {
    // Gone already when its function was deleted first; deleting is still a success, as in CloudFormation.
    ctx.server.deps.lambda.permissions.remove(targetOf(properties, ctx), physicalId);
  },
  async restore(physicalId, properties, ctx) {
    ctx.server.deps.lambda.permissions.add(
      targetOf(properties, ctx),
      statementOf(physicalId, properties, ctx),
    );
  },
};

export const lambdaHandlers: ResourceHandlers = {
  "AWS::Lambda::Function": functionHandler,
  "AWS::Lambda::Version": versionHandler,
  "AWS::Lambda::Alias": lambdaAliasHandler,
  "AWS::Lambda::Permission": permissionHandler,
};
