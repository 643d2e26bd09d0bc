// Steps the example workflows share: SDK clients for the local edge or AWS, the known-users table, triggers, logs, codes.
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { checkPasswordPolicy, type PasswordPolicy } from "../cognito/domain/password-policy.js";
import { buildUpdateUserPoolInput } from "../custom-resource/update-user-pool-input.js";

/** What the workflows need from the deployed stack (its Outputs, locally or from CloudFormation). */
export interface StackInfo {
  userPoolId: string;
  clientId: string;
  tableName: string;
  failedSyncsTableName: string;
  functions: { autoConfirm: string; migrateUser: string; activityLog: string; userSync: string };
}

/** Why an answer is refused (shown before the question is asked again), or undefined to accept it. */
export type Check = (answer: string) => string | undefined | Promise<string | undefined>;

/**
 * The conversation with the person running a workflow (the AWS example's interactive script). Every
 * question has a default that Enter takes and `--yes` answers with; refused answers are asked again a
 * few times (ui.ts), then the run stops.
 */
export interface Ui {
  /** Shows what is happening or about to happen. */
  say(text: string): void;
  /** Waits for Enter; the prompt defaults to "Press Enter when you're ready to continue." */
  pause(prompt?: string): Promise<void>;
  /** A free-text answer; an empty one takes `fallback` (none: an answer is needed). */
  ask(
    question: string,
    options?: { fallback?: string | undefined; check?: Check | undefined },
  ): Promise<string>;
  /** Lists `choices` numbered from 1 and asks "Enter a choice between 1 and N"; the 0-based index. */
  choose(question: string, choices: readonly string[], fallback?: number): Promise<number>;
  /** A y/n question. */
  confirm(question: string, fallback: boolean): Promise<boolean>;
  /** A password, typed hidden; `prompt` states the policy and `check` holds the answer to it. */
  password(prompt: string, check?: Check): Promise<string>;
}

export interface AwsClients {
  cognito: CognitoIdentityProviderClient;
  dynamodb: DynamoDBClient;
  logs: CloudWatchLogsClient;
}

export interface WorkflowContext {
  clients: AwsClients;
  stack: StackInfo;
  ui: Ui;
  /**
   * The code Cognito sent, where the workflow can see it (the edge's outbox locally, with where it was
   * read): offered as the answer to the code question. Nothing on AWS: the person reads their email.
   */
  suggestCode(username: string): Promise<{ code: string; source: string } | undefined>;
  /** Milliseconds since the epoch: a scenario shows only the log events from its own start on. */
  now(): number;
  /** How long to let the handler's log events arrive (CloudWatch is eventually consistent on AWS; 0 locally). */
  logSettleMs: number;
  sleep(ms: number): Promise<void>;
}

/** The password `--yes` answers with when `--password` names none (it meets the example pool's policy). */
export const DEFAULT_PASSWORD = "Example-Passw0rd";

/** The example's known users (the AWS example's), put in the known-users table by every scenario. */
export interface KnownUser {
  username: string;
  email: string;
}

/** The email domain is reserved for examples (RFC 2606). */
export const KNOWN_USERS: readonly KnownUser[] = [1, 2, 3].map((n) => ({
  username: `test_user_${n}`,
  email: `test_email_${n}@example.com`,
}));

/** What `--user` / `--email` answer by default; with `--yes`, what they answer. */
export interface ScenarioOptions {
  username?: string | undefined;
  email?: string | undefined;
}

/** One endpoint for every client locally; the default chain and endpoints on AWS. */
export function createClients(options: { region: string; endpoint?: string | undefined }): AwsClients {
  const config = options.endpoint
    ? {
        region: options.region,
        endpoint: options.endpoint,
        // The edge checks no signatures; any credentials do, and none are read from the machine.
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
      }
    : { region: options.region };
  return {
    cognito: new CognitoIdentityProviderClient(config),
    dynamodb: new DynamoDBClient(config),
    logs: new CloudWatchLogsClient(config),
  };
}

export function destroyClients(clients: AwsClients): void {
  clients.cognito.destroy();
  clients.dynamodb.destroy();
  clients.logs.destroy();
}

/** Reads the stack's Outputs (serverless.yml's `Outputs`). */
export function stackInfoFromOutputs(outputs: Readonly<Record<string, unknown>>): StackInfo {
  const get = (key: string): string => {
    const value = outputs[key];
    if (typeof value !== "string" || value === "")
      throw new Error(`the stack has no output ${key}; is it the user-pools-and-triggers example?`);
    return value;
  };
  return {
    userPoolId: get("UserPoolId"),
    clientId: get("UserPoolClientId"),
    tableName: get("TableName"),
    failedSyncsTableName: get("FailedSyncsTableName"),
    functions: {
      autoConfirm: get("AutoConfirmFunctionArn"),
      migrateUser: get("MigrateUserFunctionArn"),
      activityLog: get("ActivityLogFunctionArn"),
      userSync: get("UserSyncFunctionArn"),
    },
  };
}

const RULE = "-".repeat(88);

export function heading(ctx: WorkflowContext, text: string): void {
  ctx.ui.say(`\n${RULE}\n${text}\n${RULE}`);
}

export function separator(ctx: WorkflowContext): void {
  ctx.ui.say(RULE);
}

/**
 * The common set-up: fills the known-users table with the example's users (and the `--user` one when
 * it is not among them). Returns the users and which of them answers by default.
 */
export async function populateKnownUsers(
  ctx: WorkflowContext,
  options: ScenarioOptions = {},
): Promise<{ users: KnownUser[]; fallback: number }> {
  const users = [...KNOWN_USERS];
  let fallback = 0;
  if (options.username) {
    const index = users.findIndex((user) => user.username === options.username);
    if (index >= 0) {
      fallback = index;
      if (options.email) users[index] = { username: options.username, email: options.email };
    } else {
      users.push({ username: options.username, email: options.email ?? `${options.username}@example.com` });
      fallback = users.length - 1;
    }
  }
  ctx.ui.say(`First, let's add some users to the known-users table ${ctx.stack.tableName} (DynamoDB):`);
  for (const user of users) {
    await putKnownUser(ctx, user);
    ctx.ui.say(`  ${user.username}  ${user.email}`);
  }
  return { users, fallback };
}

export async function putKnownUser(ctx: WorkflowContext, user: KnownUser): Promise<void> {
  await ctx.clients.dynamodb.send(
    new PutItemCommand({
      TableName: ctx.stack.tableName,
      Item: { UserEmail: { S: user.email }, UserName: { S: user.username } },
    }),
  );
}

export async function removeKnownUser(ctx: WorkflowContext, email: string): Promise<void> {
  await ctx.clients.dynamodb.send(
    new DeleteItemCommand({ TableName: ctx.stack.tableName, Key: { UserEmail: { S: email } } }),
  );
  ctx.ui.say(`Removed ${email} from the known-users table.`);
}

export async function knownUserRecord(
  ctx: WorkflowContext,
  email: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await ctx.clients.dynamodb.send(
    new GetItemCommand({ TableName: ctx.stack.tableName, Key: { UserEmail: { S: email } } }),
  );
  return Item ? unmarshall(Item as unknown as Record<string, AttributeValue>) : undefined;
}

type AttributeValue = Record<string, unknown>;

/** DynamoDB's typed JSON to plain JSON, for showing records (S, N, BOOL, NULL, M, L are all the example uses). */
export function unmarshall(item: Record<string, AttributeValue>): Record<string, unknown> {
  const value = (attribute: AttributeValue): unknown => {
    if ("S" in attribute) return attribute.S;
    if ("N" in attribute) return Number(attribute.N);
    if ("BOOL" in attribute) return attribute.BOOL;
    if ("NULL" in attribute) return null;
    if ("M" in attribute) return unmarshall(attribute.M as Record<string, AttributeValue>);
    if ("L" in attribute) return (attribute.L as AttributeValue[]).map(value);
    return attribute;
  };
  return Object.fromEntries(Object.entries(item).map(([key, attribute]) => [key, value(attribute)]));
}

export type TriggerName = keyof LambdaConfigType;

/**
 * The example service's own wiring, as serverless.yml deploys it. The scenarios share the pool with the
 * service: each sets this wiring aside while it runs (so only the trigger it adds fires, as on the AWS
 * example's bare pool) and its clean-up puts it back.
 */
export function stackTriggers(stack: StackInfo): [TriggerName, string][] {
  return [
    ["PreSignUp", stack.functions.autoConfirm],
    ["UserMigration", stack.functions.migrateUser],
    ["PostAuthentication", stack.functions.activityLog],
    ["PostConfirmation", stack.functions.userSync],
  ];
}

/**
 * Changes the pool's LambdaConfig and keeps every other pool setting: UpdateUserPool resets what it is
 * not given, so the described pool is sent back, as the custom resource does.
 */
async function updateTriggers(
  ctx: WorkflowContext,
  change: (config: Record<string, unknown>) => void,
): Promise<Record<string, unknown>> {
  const { UserPool } = await ctx.clients.cognito.send(
    new DescribeUserPoolCommand({ UserPoolId: ctx.stack.userPoolId }),
  );
  if (!UserPool) throw new Error(`user pool ${ctx.stack.userPoolId} was not described`);
  const lambdaConfig: Record<string, unknown> = { ...UserPool.LambdaConfig };
  change(lambdaConfig);
  await ctx.clients.cognito.send(
    new UpdateUserPoolCommand(buildUpdateUserPoolInput(UserPool, lambdaConfig as LambdaConfigType)),
  );
  return lambdaConfig;
}

/** Takes the service's triggers off the pool for the scenario's run; says which. */
export async function setAsideStackTriggers(ctx: WorkflowContext): Promise<void> {
  ctx.ui.say(
    "Setting the example service's own triggers aside while this scenario runs, so that only the trigger\nit adds fires; the clean-up puts them back.",
  );
  const wiring = stackTriggers(ctx.stack);
  const setAside: string[] = [];
  await updateTriggers(ctx, (config) => {
    for (const [trigger] of wiring)
      if (config[trigger] !== undefined) {
        setAside.push(trigger);
        delete config[trigger];
      }
  });
  ctx.ui.say(
    `  set aside: ${setAside.length > 0 ? setAside.join(", ") : "none (the pool had none of them)"}`,
  );
}

/** Attaches one trigger (UpdateUserPool, every other pool setting kept). */
export async function attachTrigger(
  ctx: WorkflowContext,
  trigger: TriggerName,
  functionArn: string,
): Promise<void> {
  await updateTriggers(ctx, (config) => {
    config[trigger] = functionArn;
  });
  ctx.ui.say(
    `Lambda function ${functionNameOf(functionArn)} added to user pool ${ctx.stack.userPoolId} to handle the ${trigger} trigger.`,
  );
}

/** The clean-up's half for the pool: the scenario's trigger goes, the service's wiring comes back. */
export async function restoreStackTriggers(
  ctx: WorkflowContext,
  scenarioTrigger: TriggerName,
): Promise<void> {
  const wiring = stackTriggers(ctx.stack);
  await updateTriggers(ctx, (config) => {
    delete config[scenarioTrigger];
    for (const [trigger, arn] of wiring) config[trigger] = arn;
  });
  ctx.ui.say(
    `Removed the ${scenarioTrigger} trigger this scenario added; the pool's triggers are back as the stack wires them:\n  ${wiring.map(([trigger]) => trigger).join(", ")}.`,
  );
}

export function functionNameOf(arn: string): string {
  return arn.split(":")[6] ?? arn;
}

/** The pool's password policy (DescribeUserPool), to state in the password prompt and check answers against. */
export async function passwordPolicy(ctx: WorkflowContext): Promise<PasswordPolicy> {
  const { UserPool } = await ctx.clients.cognito.send(
    new DescribeUserPoolCommand({ UserPoolId: ctx.stack.userPoolId }),
  );
  return (UserPool?.Policies?.PasswordPolicy ?? {}) as PasswordPolicy;
}

/** "at least 8 characters, uppercase and lowercase letters and numbers" */
export function describePasswordPolicy(policy: PasswordPolicy): string {
  const needs = [
    policy.RequireUppercase && "uppercase",
    policy.RequireLowercase && "lowercase",
    policy.RequireNumbers && "numbers",
    policy.RequireSymbols && "symbols",
  ].filter((need): need is string => typeof need === "string");
  const length = `at least ${policy.MinimumLength ?? 8} characters`;
  if (needs.length === 0) return length;
  const last = needs.pop();
  return `${length}, ${needs.length > 0 ? `${needs.join(", ")} and ${last}` : last}`;
}

/** The hidden password question: it states the pool's policy and refuses what the pool would refuse. */
export function askPassword(ctx: WorkflowContext, policy: PasswordPolicy): Promise<string> {
  return ctx.ui.password(
    `Enter a password that has ${describePasswordPolicy(policy)}.\n(the password will not display as you type):`,
    (answer) => {
      const broken = checkPasswordPolicy(answer, policy);
      return broken === undefined
        ? undefined
        : `${broken}: the pool needs ${describePasswordPolicy(policy)}.`;
    },
  );
}

/** Whether the pool already has the user (left by an earlier run that kept its resources). */
export async function userExists(ctx: WorkflowContext, username: string): Promise<boolean> {
  try {
    await ctx.clients.cognito.send(
      new AdminGetUserCommand({ UserPoolId: ctx.stack.userPoolId, Username: username }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === "UserNotFoundException") return false;
    throw error;
  }
}

export async function signIn(ctx: WorkflowContext, username: string, password: string) {
  const { AuthenticationResult } = await ctx.clients.cognito.send(
    new InitiateAuthCommand({
      ClientId: ctx.stack.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  if (!AuthenticationResult?.AccessToken) throw new Error(`${username} got no tokens`);
  ctx.ui.say(
    `Successfully signed in. Your access token starts with: ${AuthenticationResult.AccessToken.slice(0, 11)}...`,
  );
  return AuthenticationResult;
}

/** Deletes the user if it exists (cleanup may run after a step failed). */
export async function deleteUser(ctx: WorkflowContext, username: string): Promise<void> {
  try {
    await ctx.clients.cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: ctx.stack.userPoolId, Username: username }),
    );
    ctx.ui.say(`Deleted the user ${username}.`);
  } catch (error) {
    if ((error as Error).name !== "UserNotFoundException") throw error;
  }
}

/**
 * The function's most recent log events since `since`, newest last, from the latest streams (same
 * calls on AWS).
 */
export async function recentLogEvents(
  ctx: WorkflowContext,
  functionArn: string,
  options: { count?: number; since?: number } = {},
): Promise<{ timestamp: number; message: string }[]> {
  const count = options.count ?? 10;
  const since = options.since ?? 0;
  const logGroupName = `/aws/lambda/${functionNameOf(functionArn)}`;
  let streams: { logStreamName?: string | undefined; lastEventTimestamp?: number | undefined }[] = [];
  try {
    const described = await ctx.clients.logs.send(
      new DescribeLogStreamsCommand({ logGroupName, orderBy: "LastEventTime", descending: true, limit: 5 }),
    );
    streams = described.logStreams ?? [];
  } catch (error) {
    if ((error as Error).name === "ResourceNotFoundException") return [];
    throw error;
  }
  const events: { timestamp: number; message: string }[] = [];
  for (const stream of streams) {
    if (!stream.logStreamName) continue;
    if (stream.lastEventTimestamp !== undefined && stream.lastEventTimestamp < since) continue;
    const page = await ctx.clients.logs.send(
      new GetLogEventsCommand({
        logGroupName,
        logStreamName: stream.logStreamName,
        limit: count,
        startFromHead: false,
      }),
    );
    for (const event of page.events ?? [])
      if ((event.timestamp ?? 0) >= since)
        events.push({ timestamp: event.timestamp ?? 0, message: (event.message ?? "").trimEnd() });
  }
  return events.sort((a, b) => a.timestamp - b.timestamp).slice(-count);
}

/** Shows the handler's 10 most recent log events of this scenario (from `since`, the scenario's start). */
export async function showLogs(ctx: WorkflowContext, functionArn: string, since: number): Promise<string[]> {
  if (ctx.logSettleMs > 0) {
    ctx.ui.say("Waiting a few seconds to let Lambda write to CloudWatch Logs...");
    await ctx.sleep(ctx.logSettleMs);
  }
  ctx.ui.say("Okay, let's check the logs to find what's happened recently with your Lambda function.");
  const events = await recentLogEvents(ctx, functionArn, { since });
  ctx.ui.say(`The 10 most recent log events of ${functionNameOf(functionArn)} in this scenario:`);
  // Each message carries its own time (the runtime's log format), as on CloudWatch.
  for (const event of events) ctx.ui.say(`  ${event.message}`);
  if (events.length === 0) ctx.ui.say("  (none yet)");
  return events.map((event) => event.message);
}

/**
 * Asks for the code Cognito sent. Locally the message is in the edge's outbox: its code is the default
 * answer, and where it was read is said first.
 */
export async function askCode(ctx: WorkflowContext, username: string): Promise<string> {
  const suggestion = await ctx.suggestCode(username);
  if (suggestion)
    ctx.ui.say(
      `No email leaves this machine: the message is in ${suggestion.source}. Its code, ${suggestion.code}, is the default answer.`,
    );
  return ctx.ui.ask("Check your email and enter the code here:", {
    fallback: suggestion?.code,
    check: (answer) => (/^\S+$/.test(answer) ? undefined : "A code has no spaces."),
  });
}

/** Reads the newest code the edge's outbox holds for the user (the local stand-in for the email). */
export function outboxCodeReader(edgeUrl: string, userPoolId: string) {
  return async (username: string): Promise<string | undefined> => {
    const url = `${edgeUrl}/_local/outbox?userPoolId=${encodeURIComponent(userPoolId)}&username=${encodeURIComponent(username)}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const { messages } = (await response.json()) as { messages: { code?: string | null }[] };
    return [...messages].reverse().find((message) => message.code)?.code ?? undefined;
  };
}

/**
 * The end of every scenario: "Do you want to remove all of the AWS resources...?" `y` runs `cleanUp`;
 * `n` leaves everything and says how to remove it later. When the question cannot be answered (the
 * input ended, the run was interrupted), the resources are removed, as `--yes` would.
 */
export async function finish(
  ctx: WorkflowContext,
  cleanUp: () => Promise<void>,
  later: { kept: string; command: string },
): Promise<boolean> {
  separator(ctx);
  let remove: boolean;
  try {
    remove = await ctx.ui.confirm(
      "Do you want to remove all of the AWS resources that were created during this demo",
      true,
    );
  } catch (error) {
    ctx.ui.say(`(${(error as Error).message}: removing them.)`);
    remove = true;
  }
  if (remove) await cleanUp();
  else
    ctx.ui.say(
      `Left ${later.kept} in place. To remove them later, run (with this run's --url, --data or --aws):\n  ${later.command}`,
    );
  separator(ctx);
  ctx.ui.say("Thanks for watching!");
  separator(ctx);
  return remove;
}

/** The `--clean-up` command line that does later what `y` does at the end of a scenario. */
export function cleanUpCommand(workflow: string, args: Record<string, string | undefined>): string {
  const flags = Object.entries(args)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([flag, value]) => `--${flag} ${value}`);
  return ["cognito-triggers workflow", workflow, "--clean-up", ...flags].join(" ");
}

/** What `y` does for a scenario that made one user and attached `trigger`; `--clean-up` does it later. */
export async function removeUserAndTrigger(
  ctx: WorkflowContext,
  username: string | undefined,
  trigger: TriggerName,
): Promise<void> {
  if (username) await deleteUser(ctx, username);
  await restoreStackTriggers(ctx, trigger);
}

/** The closing question of a scenario that made `username` and attached `trigger`. */
export function finishUserScenario(
  ctx: WorkflowContext,
  workflow: string,
  trigger: TriggerName,
  username: string | undefined,
): Promise<boolean> {
  return finish(ctx, () => removeUserAndTrigger(ctx, username, trigger), {
    kept: `${username ? `the user ${username} and ` : ""}the pool's ${trigger} trigger (the stack's other triggers set aside)`,
    command: cleanUpCommand(workflow, { user: username }),
  });
}
