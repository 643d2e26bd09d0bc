// AdminInitiateAuth: server-side sign-in (IAM-authorized) for a client of the named pool.

import {
  any,
  CLIENT_ID,
  CLIENT_METADATA,
  str,
  stringMap,
  USER_POOL_ID,
  validate,
} from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { AUTH_FLOWS, initiateAuth as run } from "../../domain/auth-initiate.js";

interface Input {
  UserPoolId: string;
  ClientId: string;
  AuthFlow: string;
  AuthParameters?: Record<string, string>;
  ClientMetadata?: Record<string, string>;
}

export const adminInitiateAuth: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    ClientId: CLIENT_ID,
    AuthFlow: str({ required: true, enum: AUTH_FLOWS }),
    AuthParameters: stringMap(),
    ClientMetadata: CLIENT_METADATA,
    AnalyticsMetadata: any,
    ContextData: any,
    Session: str({ min: 20, max: 2048 }),
  });
  return run(ctx, {
    api: "admin",
    poolId: input.UserPoolId,
    clientId: input.ClientId,
    flow: input.AuthFlow,
    params: input.AuthParameters ?? {},
    clientMetadata: input.ClientMetadata,
  });
};
