// Shared set-up for the user lifecycle tests: pools, clients, outbox codes and a scripted trigger runner.
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import type { TriggerCall, TriggerRunner } from "../../../src/cognito/trigger-runner/port.js";

export const PASSWORD = "Passw0rd!";
export const FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:trigger";

let pools = 0;

/** A pool with Cognito's defaults plus `input`; its name is unique within the test file. */
export async function createPool(
  cognito: CognitoIdentityProviderClient,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  pools += 1;
  const out = await cognito.send(new CreateUserPoolCommand({ PoolName: `pool-${pools}`, ...input }));
  const id = out.UserPool?.Id;
  if (!id) throw new Error("CreateUserPool returned no id");
  return id;
}

export async function createClient(
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ clientId: string; secret: string | undefined }> {
  const out = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app", ...input }),
  );
  const clientId = out.UserPoolClient?.ClientId;
  if (!clientId) throw new Error("CreateUserPoolClient returned no id");
  return { clientId, secret: out.UserPoolClient?.ClientSecret };
}

export interface OutboxEntry {
  userPoolId: string;
  username: string;
  sub: string;
  medium: "EMAIL" | "SMS";
  destination: string;
  subject?: string;
  body: string;
  code?: string;
  reason: string;
}

/** The messages the pool sent to a user (by any name they answer to), oldest first. */
export async function outbox(url: string, poolId: string, username: string): Promise<OutboxEntry[]> {
  const query = new URLSearchParams({ userPoolId: poolId, username });
  const res = await fetch(`${url}/_local/outbox?${query}`);
  if (res.status !== 200) throw new Error(`outbox answered ${res.status}`);
  return ((await res.json()) as { messages: OutboxEntry[] }).messages;
}

/** The code of the newest message to the user. */
export async function lastCode(url: string, poolId: string, username: string): Promise<string> {
  const messages = await outbox(url, poolId, username);
  const code = messages[messages.length - 1]?.code;
  if (!code) throw new Error(`no code was sent to ${username}`);
  return code;
}

/** A code that is not `code` (a wrong guess). */
export const wrong = (code: string): string => (code === "000000" ? "111111" : "000000");

type Handler = (event: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;

/**
 * A trigger runner whose functions are test code: it answers only for triggers the pool's LambdaConfig
 * names, as the real runner does, records every event, and returns what the handler for that trigger
 * source returns (a handler may throw the CognitoError Cognito would report).
 */
export class ScriptedTriggers implements TriggerRunner {
  readonly calls: Record<string, unknown>[] = [];
  readonly handlers = new Map<string, Handler>();

  async invoke(call: TriggerCall): Promise<Record<string, unknown> | undefined> {
    if (!call.lambdaConfig?.[call.trigger]) return undefined;
    this.calls.push(structuredClone(call.event));
    const handler = this.handlers.get(String(call.event.triggerSource));
    if (!handler) return call.event.response as Record<string, unknown>;
    return handler(structuredClone(call.event));
  }

  invokeAsync(): void {}

  /** Events of one trigger source for one pool, oldest first. */
  events(poolId: string, triggerSource: string): Record<string, unknown>[] {
    return this.calls.filter((e) => e.userPoolId === poolId && e.triggerSource === triggerSource);
  }

  reset(): void {
    this.calls.length = 0;
    this.handlers.clear();
  }
}

/** The LambdaConfig that sends every trigger these tests use to the scripted runner. */
export const ALL_TRIGGERS = {
  PreSignUp: FUNCTION_ARN,
  PostConfirmation: FUNCTION_ARN,
  UserMigration: FUNCTION_ARN,
};

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
