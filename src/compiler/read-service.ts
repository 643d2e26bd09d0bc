// Reads and validates the parts of a resolved service that the compiler uses, collecting every problem.

import type { ProblemList } from "./errors.js";
import { readCognitoEvent, SCHEMA_ERROR } from "./event-schema.js";
import { asObject, isObject } from "./json.js";
import type { CognitoEvent, FunctionModel, ServiceModel } from "./model.js";
import {
  defaultFunctionName,
  provisionedConcurrencyAliasLogicalId,
  snapStartAliasLogicalId,
} from "./naming.js";
import type { JsonObject } from "./service-model.js";

const FUNCTION_KEY_PATTERN = /^[a-zA-Z0-9-_]+$/;

/** Function settings we compile; anything else is reported rather than dropped silently. */
const FUNCTION_KEYS = new Set([
  "handler",
  "name",
  "description",
  "runtime",
  "memorySize",
  "timeout",
  "environment",
  "role",
  "tags",
  "layers",
  "architecture",
  "reservedConcurrency",
  "provisionedConcurrency",
  "snapStart",
  "versionFunction",
  "disableLogs",
  "logRetentionInDays",
  "logDataProtectionPolicy",
  "dependsOn",
  "condition",
  "package",
  "events",
  "vpc",
  "tracing",
  "kmsKeyArn",
  "ephemeralStorageSize",
]);

export interface ReadInput {
  config: JsonObject;
  stage: string;
  region: string;
}

export function readService(input: ReadInput, problems: ProblemList, warnings: ProblemList): ServiceModel {
  const { config, stage, region } = input;

  let service = "";
  if (typeof config.service === "string" && config.service.length > 0) service = config.service;
  else if (config.service === undefined)
    problems.add(SCHEMA_ERROR, "must have required property 'service'", []);
  else problems.add(SCHEMA_ERROR, "must be a non-empty string", ["service"]);
  if (service !== "" && !/^[a-zA-Z][0-9a-zA-Z-]+$/.test(service))
    problems.add(
      SCHEMA_ERROR,
      `must match pattern "^[a-zA-Z][0-9a-zA-Z-]+$" (it becomes part of stack and function names)`,
      ["service"],
    );

  const provider = asObject(config.provider);
  if (!provider) problems.add(SCHEMA_ERROR, "must have required property 'provider'", []);
  else if (provider.name !== "aws")
    problems.add(SCHEMA_ERROR, `must be equal to "aws" (only AWS is supported)`, ["provider", "name"]);

  const functions: FunctionModel[] = [];
  const cognitoEvents: CognitoEvent[] = [];
  const otherEvents: ServiceModel["otherEvents"] = [];
  const functionsNode = config.functions;
  if (functionsNode !== undefined && functionsNode !== null && !isObject(functionsNode))
    problems.add(SCHEMA_ERROR, "must be object", ["functions"]);

  for (const [key, value] of Object.entries(asObject(functionsNode) ?? {})) {
    const path = ["functions", key];
    if (!FUNCTION_KEY_PATTERN.test(key)) {
      problems.add(SCHEMA_ERROR, `function names must match pattern "^[a-zA-Z0-9-_]+$"`, path);
      continue;
    }
    if (!isObject(value)) {
      problems.add(SCHEMA_ERROR, "must be object", path);
      continue;
    }
    functions.push(readFunction(key, value, service, stage, problems, warnings));
    const events = value.events;
    if (events === undefined || events === null) continue;
    if (!Array.isArray(events)) {
      problems.add(SCHEMA_ERROR, "must be array", [...path, "events"]);
      continue;
    }
    events.forEach((event, index) => {
      const eventPath = [...path, "events", index];
      if (!isObject(event) || Object.keys(event).length !== 1) {
        problems.add(SCHEMA_ERROR, "an event must be an object with exactly one key (its type)", eventPath);
        return;
      }
      const type = Object.keys(event)[0] as string;
      if (type !== "cognitoUserPool") {
        otherEvents.push({ functionKey: key, type, path: [...eventPath, type] });
        return;
      }
      const parsed = readCognitoEvent(key, event[type], [...eventPath, type], problems, warnings);
      if (parsed) cognitoEvents.push(parsed);
    });
  }

  for (const { type, path } of otherEvents)
    warnings.add(
      "EVENT_TYPE_NOT_SUPPORTED",
      `event type "${type}" is not supported by cognito-triggers and was not compiled (only cognitoUserPool is)`,
      path,
    );

  const resources = config.resources;
  if (resources !== undefined && resources !== null && !isObject(resources))
    problems.add(SCHEMA_ERROR, "must be object", ["resources"]);

  return {
    service,
    stage,
    region,
    provider: provider ?? {},
    functions,
    cognitoEvents,
    otherEvents,
    resources: asObject(resources),
    package: asObject(config.package),
  };
}

function readFunction(
  key: string,
  config: JsonObject,
  service: string,
  stage: string,
  problems: ProblemList,
  warnings: ProblemList,
): FunctionModel {
  const path = ["functions", key];
  for (const setting of Object.keys(config))
    if (!FUNCTION_KEYS.has(setting))
      warnings.add(
        "FUNCTION_SETTING_NOT_SUPPORTED",
        `function setting "${setting}" is not supported by cognito-triggers and was ignored`,
        [...path, setting],
      );

  if (config.image !== undefined)
    problems.add(SCHEMA_ERROR, "container image functions are not supported; use handler", [
      ...path,
      "image",
    ]);
  else if (typeof config.handler !== "string" || config.handler === "")
    problems.add(
      "FUNCTION_NEITHER_HANDLER_NOR_IMAGE_DEFINED_ERROR",
      `Either "handler" or "image" property needs to be set on function "${key}"`,
      path,
    );

  let name = defaultFunctionName(service, stage, key);
  if (config.name !== undefined) {
    if (typeof config.name === "string" && config.name.length > 0) name = config.name;
    else problems.add(SCHEMA_ERROR, "must be a non-empty string", [...path, "name"]);
  }
  if (name.length > 64)
    problems.add(
      "LAMBDA_FUNCTION_NAME_TOO_LONG",
      `deployed function name "${name}" is ${name.length} characters; Lambda allows 64 (set a shorter name:)`,
      config.name === undefined ? path : [...path, "name"],
    );

  for (const numeric of ["memorySize", "timeout", "provisionedConcurrency", "reservedConcurrency"]) {
    const value = config[numeric];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0))
      problems.add(SCHEMA_ERROR, "must be a non-negative integer", [...path, numeric]);
  }
  if (config.provisionedConcurrency && config.snapStart)
    problems.add(
      "FUNCTION_BOTH_PROVISIONED_CONCURRENCY_AND_SNAPSTART_ENABLED_ERROR",
      `Functions with enabled SnapStart does not support provisioned concurrency. Please remove at least one of the settings on function "${key}".`,
      path,
    );
  if (config.environment !== undefined && !isObject(config.environment))
    problems.add(SCHEMA_ERROR, "must be object", [...path, "environment"]);

  let targetAlias: FunctionModel["targetAlias"];
  if (config.provisionedConcurrency)
    targetAlias = { logicalId: provisionedConcurrencyAliasLogicalId(key), name: "provisioned" };
  else if (config.snapStart) targetAlias = { logicalId: snapStartAliasLogicalId(key), name: "snapstart" };

  return { key, path, name, config, targetAlias };
}
