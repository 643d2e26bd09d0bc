// Create/Update/Delete of Custom::CognitoUserPool: attaches one function's triggers to an existing pool.
import type { CustomResourceEvent } from "./events.js";
import {
  configureFunctionTriggers,
  referencesFunction,
  removeFunctionTriggers,
  validateTriggerConfigs,
} from "./lambda-config.js";
import {
  type FunctionEnvironment,
  functionArn,
  parseFunctionArn,
  permissionStatementId,
  userPoolArn,
} from "./names.js";
import type { AwsPorts, LambdaConfigType, Logger } from "./ports.js";
import { type PoolTarget, parseProperties, type TriggerConfig, tryParseTarget } from "./properties.js";
import { buildUpdateUserPoolInput } from "./update-user-pool-input.js";

export interface RequestDeps {
  awsPorts(region: string): AwsPorts;
  log: Logger;
}

interface Run extends AwsPorts {
  env: FunctionEnvironment;
  log: Logger;
}

function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

function where(run: Run): string {
  return `${run.env.region} (account ${run.env.accountId})`;
}

/** Every page is read: names are not unique, and a second match must not go unnoticed (#8270). */
export async function findUserPoolIds(run: Run, userPoolName: string): Promise<string[]> {
  const ids: string[] = [];
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  let page = 0;
  do {
    page += 1;
    const result = await run.cognito.listUserPools(nextToken);
    const pools = result.UserPools ?? [];
    for (const pool of pools) {
      if (pool.Name === userPoolName && pool.Id) ids.push(pool.Id);
    }
    run.log(
      `ListUserPools page ${page}: ${pools.length} pools, ${ids.length} named "${userPoolName}" so far`,
    );
    nextToken = result.NextToken || undefined;
    if (nextToken !== undefined) {
      if (seenTokens.has(nextToken)) throw new Error("ListUserPools returned the same NextToken twice.");
      seenTokens.add(nextToken);
    }
  } while (nextToken !== undefined);
  return ids;
}

async function findUniqueUserPoolId(run: Run, userPoolName: string): Promise<string> {
  const ids = await findUserPoolIds(run, userPoolName);
  const [only] = ids;
  if (only === undefined) {
    throw new Error(`User pool "${userPoolName}" was not found in ${where(run)}.`);
  }
  if (ids.length > 1) {
    throw new Error(
      `${ids.length} user pools are named "${userPoolName}" in ${where(run)} (${ids.join(", ")}); ` +
        "names must be unique to attach triggers to an existing pool.",
    );
  }
  run.log(`Found user pool ${only} named "${userPoolName}"`);
  return only;
}

async function ensurePermission(run: Run, target: PoolTarget, userPoolId: string): Promise<void> {
  const StatementId = permissionStatementId(target.functionName, target.userPoolName);
  const SourceArn = userPoolArn(run.env, userPoolId);
  run.log(`AddPermission ${StatementId} on ${target.functionName} for ${SourceArn}`);
  try {
    await run.lambda.addPermission({
      Action: "lambda:InvokeFunction",
      FunctionName: target.functionName,
      Principal: "cognito-idp.amazonaws.com",
      StatementId,
      SourceArn,
    });
  } catch (error) {
    if (awsErrorName(error) !== "ResourceConflictException") throw error;
    run.log(`Permission ${StatementId} is already present`);
  }
}

async function dropPermission(run: Run, target: PoolTarget): Promise<void> {
  const StatementId = permissionStatementId(target.functionName, target.userPoolName);
  run.log(`RemovePermission ${StatementId} on ${target.functionName}`);
  try {
    await run.lambda.removePermission({ FunctionName: target.functionName, StatementId });
  } catch (error) {
    if (awsErrorName(error) !== "ResourceNotFoundException") throw error;
    run.log(`Permission ${StatementId} (or its function) is already gone`);
  }
}

async function writeLambdaConfig(
  run: Run,
  userPoolId: string,
  edit: (current: LambdaConfigType | undefined) => LambdaConfigType | undefined,
): Promise<void> {
  run.log(`DescribeUserPool ${userPoolId}`);
  const pool = await run.cognito.describeUserPool(userPoolId);
  const lambdaConfig = edit(pool.LambdaConfig);
  if (lambdaConfig === undefined) return;
  run.log(`UpdateUserPool ${userPoolId}: LambdaConfig keys [${Object.keys(lambdaConfig).join(", ")}]`);
  await run.cognito.updateUserPool(buildUpdateUserPoolInput({ ...pool, Id: userPoolId }, lambdaConfig));
}

async function attach(
  run: Run,
  target: PoolTarget,
  userPoolId: string,
  configs: readonly TriggerConfig[],
): Promise<void> {
  const arn = functionArn(run.env, target.functionName);
  await writeLambdaConfig(run, userPoolId, (current) => configureFunctionTriggers(current, arn, configs));
}

/**
 * Detaching touches every pool of that name that still invokes the function: that is exactly what
 * the resource put there, and refusing would leave a stack that cannot be deleted or rolled back.
 */
async function detach(run: Run, target: PoolTarget): Promise<void> {
  const arn = functionArn(run.env, target.functionName);
  const ids = await findUserPoolIds(run, target.userPoolName);
  if (ids.length === 0) run.log(`No user pool named "${target.userPoolName}"; no triggers to remove`);
  for (const id of ids) {
    try {
      await writeLambdaConfig(run, id, (current) => {
        if (referencesFunction(current, arn)) return removeFunctionTriggers(current, arn);
        run.log(`User pool ${id} has no trigger invoking ${arn}`);
        return undefined;
      });
    } catch (error) {
      if (awsErrorName(error) !== "ResourceNotFoundException") throw error;
      run.log(`User pool ${id} is gone`);
    }
  }
}

function poolData(run: Run, userPoolId: string): Record<string, unknown> {
  return { UserPoolId: userPoolId, UserPoolArn: userPoolArn(run.env, userPoolId) };
}

async function create(run: Run, event: CustomResourceEvent): Promise<Record<string, unknown>> {
  const props = parseProperties(event.ResourceProperties);
  validateTriggerConfigs(props.userPoolConfigs);
  const userPoolId = await findUniqueUserPoolId(run, props.userPoolName);
  await ensurePermission(run, props, userPoolId);
  await attach(run, props, userPoolId, props.userPoolConfigs);
  return poolData(run, userPoolId);
}

async function update(run: Run, event: CustomResourceEvent): Promise<Record<string, unknown>> {
  const props = parseProperties(event.ResourceProperties);
  validateTriggerConfigs(props.userPoolConfigs);
  const old = tryParseTarget(event.OldResourceProperties);
  const moved =
    old !== undefined && (old.functionName !== props.functionName || old.userPoolName !== props.userPoolName);
  const userPoolId = await findUniqueUserPoolId(run, props.userPoolName);

  // A statement id shared by old and new (same function, pool names that normalise alike) still
  // names the old pool's ARN: it has to go before the new one can be added.
  const sharedStatement =
    old !== undefined &&
    old.functionName === props.functionName &&
    permissionStatementId(old.functionName, old.userPoolName) ===
      permissionStatementId(props.functionName, props.userPoolName);
  if (moved && sharedStatement) await dropPermission(run, old);

  await ensurePermission(run, props, userPoolId);
  await attach(run, props, userPoolId, props.userPoolConfigs);

  if (moved) {
    run.log(`Detaching ${old.functionName} from the previous user pool "${old.userPoolName}"`);
    await detach(run, old);
    if (!sharedStatement) await dropPermission(run, old);
  }
  return poolData(run, userPoolId);
}

async function remove(run: Run, event: CustomResourceEvent): Promise<Record<string, unknown>> {
  const target = tryParseTarget(event.ResourceProperties);
  if (target === undefined) {
    run.log("No FunctionName/UserPoolName in the resource properties; nothing was attached");
    return {};
  }
  // Triggers first: a trigger whose permission is already gone makes Cognito fail sign-ins.
  await detach(run, target);
  await dropPermission(run, target);
  return {};
}

const OPERATIONS = new Map<
  string,
  (run: Run, event: CustomResourceEvent) => Promise<Record<string, unknown>>
>([
  ["Create", create],
  ["Update", update],
  ["Delete", remove],
]);

/** Runs one CloudFormation request; resolves to the response Data, rejects with the failure reason. */
export async function handleRequest(
  event: CustomResourceEvent,
  invokedFunctionArn: string,
  deps: RequestDeps,
): Promise<Record<string, unknown>> {
  const operation = OPERATIONS.get(event.RequestType);
  if (operation === undefined) throw new Error(`Unhandled RequestType ${event.RequestType}`);
  const env = parseFunctionArn(invokedFunctionArn);
  const run: Run = { ...deps.awsPorts(env.region), env, log: deps.log };
  run.log(`${event.RequestType} ${event.LogicalResourceId} in ${where(run)}`);
  return operation(run, event);
}
