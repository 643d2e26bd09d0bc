// Trigger points: builds the event envelope Cognito sends and hands it to the trigger runner.

import type { PoolRecord } from "../../store/model.js";
import type { ActionContext } from "../context.js";
import { lambdaConfig } from "./pools.js";

/** What admin APIs send as callerContext.clientId. */
export const NO_CLIENT = "CLIENT_ID_NOT_APPLICABLE";

export interface TriggerPoint {
  /** LambdaConfig slot, e.g. PreSignUp. */
  trigger: string;
  /** e.g. PreSignUp_SignUp. */
  triggerSource: string;
  /** The pool's internal username (the typed name for UserMigration). */
  userName: string;
  clientId: string | undefined;
  request: Record<string, unknown>;
  /** The response Cognito pre-fills with defaults. */
  response: Record<string, unknown>;
  /** "1" except PreTokenGeneration V2/V3. */
  version?: string;
}

export function triggerEvent(
  ctx: ActionContext,
  pool: PoolRecord,
  point: TriggerPoint,
): Record<string, unknown> {
  return {
    version: point.version ?? "1",
    triggerSource: point.triggerSource,
    region: ctx.config.region,
    userPoolId: pool.id,
    userName: point.userName,
    callerContext: { awsSdkVersion: ctx.request.awsSdkVersion, clientId: point.clientId ?? NO_CLIENT },
    request: point.request,
    response: point.response,
  };
}

/**
 * Runs a synchronous trigger and returns the handler's response (or the pre-filled defaults when the
 * pool configures no function). Never call it inside a store transaction: a handler may take seconds.
 */
export async function runTrigger(
  ctx: ActionContext,
  pool: PoolRecord,
  point: TriggerPoint,
): Promise<Record<string, unknown>> {
  const response = await ctx.triggers.invoke({
    trigger: point.trigger,
    event: triggerEvent(ctx, pool, point),
    lambdaConfig: lambdaConfig(pool),
  });
  return response ?? point.response;
}

/** Custom senders: asynchronous, failures ignored. */
export function runAsyncTrigger(ctx: ActionContext, pool: PoolRecord, point: TriggerPoint): void {
  ctx.triggers.invokeAsync({
    trigger: point.trigger,
    event: triggerEvent(ctx, pool, point),
    lambdaConfig: lambdaConfig(pool),
  });
}
