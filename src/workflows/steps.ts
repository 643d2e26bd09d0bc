// Steps the example workflows share: SDK clients for the local edge or AWS, the known-users table, triggers, logs, codes.
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  AdminDeleteUserCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { buildUpdateUserPoolInput } from "../custom-resource/update-user-pool-input.js";

/** What the workflows need from the deployed stack (its Outputs, locally or from CloudFormation). */
export interface StackInfo {
  userPoolId: string;
  clientId: string;
  tableName: string;
  failedSyncsTableName: string;
  functions: { autoConfirm: string; migrateUser: string; activityLog: string; userSync: string };
}

/** The conversation with the person running a workflow; non-interactive answers come from flags. */
export interface Ui {
  say(text: string): void;
  /** "Press Enter to continue" between steps. */
  pause(): Promise<void>;
  /** A free-text answer, or `fallback` when nobody is asked. */
  ask(question: string, fallback: string): Promise<string>;
  /** A password, typed hidden. */
  password(question: string): Promise<string>;
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
  /** The code Cognito sent (the edge's outbox locally; asked for on AWS). */
  readCode(username: string, purpose: string): Promise<string>;
  /** Waits between reading logs and their arrival (CloudWatch is eventually consistent on AWS). */
  sleep(ms: number): Promise<void>;
}

/** Names and addresses the workflows use; the email domain is reserved for examples (RFC 2606). */
export interface WorkflowUser {
  username: string;
  email: string;
  password: string;
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

export async function addKnownUser(ctx: WorkflowContext, user: WorkflowUser): Promise<void> {
  await ctx.clients.dynamodb.send(
    new PutItemCommand({
      TableName: ctx.stack.tableName,
      Item: { UserEmail: { S: user.email }, UserName: { S: user.username } },
    }),
  );
  ctx.ui.say(`Added ${user.username} (${user.email}) to the known-users table ${ctx.stack.tableName}.`);
}

export async function removeKnownUser(ctx: WorkflowContext, user: WorkflowUser): Promise<void> {
  await ctx.clients.dynamodb.send(
    new DeleteItemCommand({ TableName: ctx.stack.tableName, Key: { UserEmail: { S: user.email } } }),
  );
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

/**
 * Sets one trigger (or removes it with `undefined`) and keeps every other pool setting: UpdateUserPool
 * resets what it is not given, so the described pool is sent back, as the custom resource does.
 */
export async function setTrigger(
  ctx: WorkflowContext,
  trigger: keyof LambdaConfigType,
  functionArn: string | undefined,
): Promise<void> {
  const { UserPool } = await ctx.clients.cognito.send(
    new DescribeUserPoolCommand({ UserPoolId: ctx.stack.userPoolId }),
  );
  if (!UserPool) throw new Error(`user pool ${ctx.stack.userPoolId} was not described`);
  const lambdaConfig: Record<string, unknown> = { ...UserPool.LambdaConfig };
  if (functionArn === undefined) delete lambdaConfig[trigger];
  else lambdaConfig[trigger] = functionArn;
  await ctx.clients.cognito.send(
    new UpdateUserPoolCommand(buildUpdateUserPoolInput(UserPool, lambdaConfig as LambdaConfigType)),
  );
  ctx.ui.say(
    functionArn === undefined
      ? `Removed the ${trigger} trigger from ${ctx.stack.userPoolId}.`
      : `Attached ${functionNameOf(functionArn)} to ${ctx.stack.userPoolId} as its ${trigger} trigger (every other setting kept).`,
  );
}

export function functionNameOf(arn: string): string {
  return arn.split(":")[6] ?? arn;
}

export async function signIn(ctx: WorkflowContext, user: WorkflowUser) {
  const { AuthenticationResult } = await ctx.clients.cognito.send(
    new InitiateAuthCommand({
      ClientId: ctx.stack.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
    }),
  );
  if (!AuthenticationResult?.AccessToken) throw new Error(`${user.username} got no tokens`);
  ctx.ui.say(`Signed in as ${user.username}: got an ID, access and refresh token.`);
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

/** The function's most recent log events, newest last, from the latest streams (same calls on AWS). */
export async function recentLogEvents(
  ctx: WorkflowContext,
  functionArn: string,
  count = 10,
): Promise<{ timestamp: number; message: string }[]> {
  const logGroupName = `/aws/lambda/${functionNameOf(functionArn)}`;
  let streams: { logStreamName?: string | undefined }[] = [];
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
    const page = await ctx.clients.logs.send(
      new GetLogEventsCommand({
        logGroupName,
        logStreamName: stream.logStreamName,
        limit: count,
        startFromHead: false,
      }),
    );
    for (const event of page.events ?? [])
      events.push({ timestamp: event.timestamp ?? 0, message: (event.message ?? "").trimEnd() });
  }
  return events.sort((a, b) => a.timestamp - b.timestamp).slice(-count);
}

export async function showLogs(ctx: WorkflowContext, functionArn: string): Promise<string[]> {
  // On AWS, log events take a few seconds to become readable.
  await ctx.sleep(5_000);
  const events = await recentLogEvents(ctx, functionArn);
  ctx.ui.say(`The 10 most recent log events of ${functionNameOf(functionArn)}:`);
  for (const event of events) ctx.ui.say(`  ${new Date(event.timestamp).toISOString()}  ${event.message}`);
  if (events.length === 0) ctx.ui.say("  (none yet)");
  return events.map((event) => event.message);
}

export function heading(ctx: WorkflowContext, text: string): void {
  ctx.ui.say(`\n${"-".repeat(88)}\n${text}\n${"-".repeat(88)}`);
}

/** Reads the newest code the edge's outbox holds for the user (the local stand-in for the email). */
export function outboxCodeReader(edgeUrl: string, userPoolId: string) {
  return async (username: string): Promise<string> => {
    const url = `${edgeUrl}/_local/outbox?userPoolId=${encodeURIComponent(userPoolId)}&username=${encodeURIComponent(username)}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const { messages } = (await response.json()) as { messages: { code?: string | null }[] };
    const code = [...messages].reverse().find((message) => message.code)?.code;
    if (!code) throw new Error(`no code was sent to ${username}`);
    return code;
  };
}
