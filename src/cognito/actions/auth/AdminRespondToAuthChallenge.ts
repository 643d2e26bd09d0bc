// AdminRespondToAuthChallenge: the server-side answer to a challenge of AdminInitiateAuth.

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
import { CHALLENGE_NAMES, respondToAuthChallenge as run } from "../../domain/auth-respond.js";

interface Input {
  UserPoolId: string;
  ClientId: string;
  ChallengeName: string;
  ChallengeResponses?: Record<string, string>;
  Session?: string;
  ClientMetadata?: Record<string, string>;
}

export const adminRespondToAuthChallenge: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    UserPoolId: USER_POOL_ID,
    ClientId: CLIENT_ID,
    ChallengeName: str({ required: true, enum: CHALLENGE_NAMES }),
    ChallengeResponses: stringMap(),
    Session: str({ min: 20, max: 2048 }),
    AnalyticsMetadata: any,
    ContextData: any,
    ClientMetadata: CLIENT_METADATA,
  });
  return run(ctx, {
    api: "admin",
    poolId: input.UserPoolId,
    clientId: input.ClientId,
    challengeName: input.ChallengeName,
    session: input.Session,
    responses: input.ChallengeResponses ?? {},
    clientMetadata: input.ClientMetadata,
  });
};
