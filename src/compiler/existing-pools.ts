// Existing user pools: a Custom::CognitoUserPool per function that rewires the pool's LambdaConfig at deploy time.
import type { Clock } from "../shared/clock.js";
import {
  DEFAULT_SENDER_LAMBDA_VERSION,
  isCustomSender,
  needsPreTokenGenerationConfig,
} from "../triggers/catalog.js";
import type { ProblemList } from "./errors.js";
import { checkSenderKey } from "./kms-keys.js";
import type { CognitoEvent, ServiceModel } from "./model.js";
import {
  CUSTOM_RESOURCE_FUNCTION_LOGICAL_ID,
  customCognitoUserPoolLogicalId,
  lambdaLogicalId,
} from "./naming.js";
import { checkPoolEvents } from "./new-pools.js";
import type { Json, JsonObject } from "./service-model.js";
import { getAtt, type Resource, type Statement } from "./template.js";

const COGNITO_STATEMENT: Statement = {
  Effect: "Allow",
  Resource: "*",
  Action: ["cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool", "cognito-idp:UpdateUserPool"],
};

const createGrant = (key: Json): Statement => ({
  Effect: "Allow",
  Resource: key,
  Action: ["kms:CreateGrant"],
});

function poolConfigEntry(event: CognitoEvent): JsonObject {
  const entry: JsonObject = { Trigger: event.trigger };
  if (isCustomSender(event.trigger)) {
    entry.LambdaVersion = event.lambdaVersion ?? DEFAULT_SENDER_LAMBDA_VERSION;
    entry.KMSKeyID = event.kmsKeyId as Json;
  } else if (needsPreTokenGenerationConfig(event.trigger, event.lambdaVersion)) {
    entry.LambdaVersion = event.lambdaVersion as string;
  }
  return entry;
}

/**
 * Adds the custom resources to `resources` and returns the IAM statements their handler needs,
 * in Serverless's order (empty when no function uses an existing pool).
 */
export function compileExistingPools(
  resources: Record<string, Resource>,
  model: ServiceModel,
  clock: Clock,
  problems: ProblemList,
): Statement[] {
  const statements: Statement[] = [];
  const existing = model.cognitoEvents.filter((e) => e.existing);
  if (existing.length === 0) return statements;

  const newPools = new Map(model.cognitoEvents.filter((e) => !e.existing).map((e) => [e.pool, e]));
  for (const event of existing)
    if (newPools.has(event.pool))
      problems.add(
        "COGNITO_POOL_BOTH_NEW_AND_EXISTING",
        `pool "${event.pool}" is created by this service (an event without existing: true) and also used as an existing pool; the custom resource would look the name up while the stack creates a second pool of that name.`,
        [...event.path, "existing"],
      );
  checkPoolEvents(existing, problems, (pool) => pool);

  const keysByPool = new Map<string, Json>();
  const resourcesByPool = new Map<string, string[]>();
  for (const fn of model.functions) {
    const events = existing.filter((e) => e.functionKey === fn.key);
    const first = events[0];
    if (!first) continue;
    const logicalId = customCognitoUserPoolLogicalId(fn.key);
    const grantedKeys: Json[] = [];
    let resource: Resource | undefined;

    for (const event of events) {
      if (event.pool !== first.pool) {
        problems.add(
          "COGNITO_MULTIPLE_USER_POOLS_PER_FUNCTION",
          `Only one Cognito User Pool can be configured per function. In "${fn.name}" you're attempting to configure "${first.pool}" and "${event.pool}" at the same time.`,
          [...event.path, "pool"],
        );
        continue;
      }
      const sender = isCustomSender(event.trigger);
      if (sender && !checkSenderKey(event, keysByPool, problems)) continue;
      // Serverless grants only the first event's key; a sender listed second then fails at deploy time.
      if (sender && !grantedKeys.some((k) => JSON.stringify(k) === JSON.stringify(event.kmsKeyId))) {
        statements.push(createGrant(event.kmsKeyId as Json));
        grantedKeys.push(event.kmsKeyId as Json);
      }
      if (!resource) {
        const properties: JsonObject = {
          ServiceToken: getAtt(CUSTOM_RESOURCE_FUNCTION_LOGICAL_ID, "Arn"),
          FunctionName: fn.name,
          UserPoolName: event.pool,
          UserPoolConfigs: [poolConfigEntry(event)],
        };
        if (event.forceDeploy) properties.ForceDeploy = clock.now();
        resource = {
          Type: "Custom::CognitoUserPool",
          Version: 1,
          DependsOn: [lambdaLogicalId(fn.key), CUSTOM_RESOURCE_FUNCTION_LOGICAL_ID],
          Properties: properties,
        };
        resources[logicalId] = resource;
        statements.push({ ...COGNITO_STATEMENT });
        const chain = resourcesByPool.get(event.pool) ?? [];
        if (!chain.includes(logicalId)) chain.push(logicalId);
        resourcesByPool.set(event.pool, chain);
      } else {
        ((resource.Properties as JsonObject).UserPoolConfigs as Json[]).push(poolConfigEntry(event));
      }
    }
    statements.push({
      Effect: "Allow",
      Resource: { "Fn::Sub": `arn:\${AWS::Partition}:lambda:*:*:function:${fn.name}` },
      Action: ["lambda:AddPermission", "lambda:RemovePermission"],
    });
  }
  statements.push({
    Effect: "Allow",
    Resource: { "Fn::Sub": "arn:${AWS::Partition}:iam::*:role/*" },
    Action: ["iam:PassRole"],
  });

  // CloudFormation would run one pool's custom resources in parallel, and each rewrites the whole LambdaConfig.
  for (const chain of resourcesByPool.values())
    chain.forEach((id, index) => {
      const previous = chain[index - 1];
      if (previous) (resources[id]!.DependsOn as Json[]).push(previous);
    });
  return statements;
}
