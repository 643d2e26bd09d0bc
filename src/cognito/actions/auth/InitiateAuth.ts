// InitiateAuth: unauthenticated sign-in through an app client (SRP, password, refresh).

import { any, CLIENT_ID, CLIENT_METADATA, str, stringMap, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { AUTH_FLOWS, initiateAuth as run } from "../../domain/auth-initiate.js";

interface Input {
  AuthFlow: string;
  AuthParameters?: Record<string, string>;
  ClientMetadata?: Record<string, string>;
  ClientId: string;
}

export const initiateAuth: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    AuthFlow: str({ required: true, enum: AUTH_FLOWS }),
    AuthParameters: stringMap(),
    ClientMetadata: CLIENT_METADATA,
    ClientId: CLIENT_ID,
    AnalyticsMetadata: any,
    UserContextData: any,
    Session: str({ min: 20, max: 2048 }),
  });
  return run(ctx, {
    api: "public",
    clientId: input.ClientId,
    flow: input.AuthFlow,
    params: input.AuthParameters ?? {},
    clientMetadata: input.ClientMetadata,
  });
};
