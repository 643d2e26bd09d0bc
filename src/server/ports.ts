// Ports every action reaches the outside world through, wired in create-server.ts (the composition root).

import type { DynamoDbEngine } from "../dynamodb/edge.js";
import type { PermissionTable } from "../lambda/permissions.js";
import type { FunctionRegistry, LambdaInvoker, LogSink } from "../lambda/ports.js";
import type { Clock } from "../shared/clock.js";
import type { OutboxMessage } from "./model.js";
import type { Store } from "./store/port.js";
import type { TriggerRunner } from "./trigger-runner/port.js";

export interface Random {
  bytes(length: number): Buffer;
  /** Uniform integer in [0, max). */
  int(max: number): number;
  uuid(): string;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

export interface ServerConfig {
  region: string;
  /** Account id in ARNs. */
  accountId: string;
  /**
   * Issuer base: tokens carry `iss = <issuerBase>/<userPoolId>`. Default AWS's form
   * `https://cognito-idp.<region>.amazonaws.com` so aws-jwt-verify accepts the tokens.
   */
  issuerBase: string;
  /** Record every message the pool would send (codes, temporary passwords). */
  outbox: boolean;
}

export interface Outbox {
  record(message: Omit<OutboxMessage, "id" | "createdAt">): Promise<void>;
}

/** The local Lambda runtime: the functions the edge runs and how it invokes them. */
export interface LambdaDeps {
  functions: FunctionRegistry;
  invoker: LambdaInvoker;
  logs: LogSink;
  /** Resource-based policies; Cognito's invocations of enforced functions are checked against them. */
  permissions: PermissionTable;
}

export interface ServerDeps {
  config: ServerConfig;
  clock: Clock;
  random: Random;
  store: Store;
  triggers: TriggerRunner;
  logger: Logger;
  lambda: LambdaDeps;
  /** The embedded DynamoDB (`DynamoDB_20120810.*` on the same port); absent: those calls are unknown. */
  dynamodb?: DynamoDbEngine | undefined;
}
