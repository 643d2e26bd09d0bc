// New user pools: one AWS::Cognito::UserPool per pool name, with LambdaConfig and one invoke permission per event.
import {
  DEFAULT_SENDER_LAMBDA_VERSION,
  isCustomSender,
  needsPreTokenGenerationConfig,
} from "../triggers/catalog.js";
import type { ProblemList } from "./errors.js";
import { formatPath } from "./errors.js";
import { checkSenderKey } from "./kms-keys.js";
import { lambdaDependency, lambdaTarget } from "./lambda-target.js";
import type { CognitoEvent, FunctionModel, ServiceModel } from "./model.js";
import { lambdaPermissionLogicalId, userPoolLogicalId } from "./naming.js";
import type { Json, JsonObject } from "./service-model.js";
import { getAtt, type Resource } from "./template.js";

/** The LambdaConfig key an event occupies: V2/V3 token generation lives in PreTokenGenerationConfig. */
export function lambdaConfigSlot(event: CognitoEvent): string {
  return event.trigger === "PreTokenGeneration" ? "PreTokenGeneration" : event.trigger;
}

/**
 * Serverless silently merges pools whose names normalise to one logical id, and lets the last of
 * two events on one trigger win; both deploy something other than what was written, so we refuse.
 */
export function checkPoolEvents(
  events: readonly CognitoEvent[],
  problems: ProblemList,
  logicalIdOf: (pool: string) => string,
): void {
  const poolByLogicalId = new Map<string, CognitoEvent>();
  const eventBySlot = new Map<string, CognitoEvent>();
  for (const event of events) {
    const logicalId = logicalIdOf(event.pool);
    const first = poolByLogicalId.get(logicalId);
    if (!first) poolByLogicalId.set(logicalId, event);
    else if (first.pool !== event.pool)
      problems.add(
        "COGNITO_POOL_LOGICAL_ID_COLLISION",
        `pool "${event.pool}" and pool "${first.pool}" (${formatPath(first.path)}) both become logical id "${logicalId}"; Serverless would merge them into one pool. Rename one of them.`,
        [...event.path, "pool"],
      );
    const slot = `${event.pool}\u0000${lambdaConfigSlot(event)}`;
    const previous = eventBySlot.get(slot);
    if (!previous) eventBySlot.set(slot, event);
    else
      problems.add(
        "COGNITO_DUPLICATE_TRIGGER",
        `trigger ${event.trigger} of pool "${event.pool}" is already set by function "${previous.functionKey}" (${formatPath(previous.path)}); a pool has one function per trigger, and Serverless would silently keep only the last.`,
        [...event.path, "trigger"],
      );
  }
}

function lambdaConfigFor(events: readonly CognitoEvent[], functions: Map<string, FunctionModel>): JsonObject {
  const config: JsonObject = {};
  for (const event of events) {
    const fn = functions.get(event.functionKey) as FunctionModel;
    const target = lambdaTarget(fn);
    if (isCustomSender(event.trigger)) {
      config[event.trigger] = {
        LambdaArn: target,
        LambdaVersion: event.lambdaVersion ?? DEFAULT_SENDER_LAMBDA_VERSION,
      };
      config.KMSKeyID = event.kmsKeyId as Json;
    } else if (needsPreTokenGenerationConfig(event.trigger, event.lambdaVersion)) {
      config.PreTokenGenerationConfig = { LambdaArn: target, LambdaVersion: event.lambdaVersion as string };
    } else {
      config[event.trigger] = target;
    }
  }
  return config;
}

export function compileNewPools(
  resources: Record<string, Resource>,
  model: ServiceModel,
  problems: ProblemList,
): void {
  const events = model.cognitoEvents.filter((e) => !e.existing);
  if (events.length === 0) return;
  const functions = new Map(model.functions.map((fn) => [fn.key, fn]));

  const keysByPool = new Map<string, Json>();
  for (const event of events) if (isCustomSender(event.trigger)) checkSenderKey(event, keysByPool, problems);
  checkPoolEvents(events, problems, userPoolLogicalId);

  const pools = [...new Set(events.map((e) => e.pool))];
  for (const pool of pools) {
    const poolEvents = events.filter((e) => e.pool === pool);
    resources[userPoolLogicalId(pool)] = {
      Type: "AWS::Cognito::UserPool",
      Properties: { UserPoolName: pool, LambdaConfig: lambdaConfigFor(poolEvents, functions) },
      DependsOn: poolEvents.map((e) => lambdaDependency(functions.get(e.functionKey) as FunctionModel)),
    };
  }

  for (const event of events) {
    const fn = functions.get(event.functionKey) as FunctionModel;
    const permission: Resource = { Type: "AWS::Lambda::Permission" };
    if (fn.targetAlias) permission.DependsOn = fn.targetAlias.logicalId;
    permission.Properties = {
      FunctionName: lambdaTarget(fn),
      Action: "lambda:InvokeFunction",
      Principal: "cognito-idp.amazonaws.com",
      SourceArn: getAtt(userPoolLogicalId(event.pool), "Arn"),
    };
    resources[lambdaPermissionLogicalId(fn.key, event.pool, event.trigger)] = permission;
  }
}
