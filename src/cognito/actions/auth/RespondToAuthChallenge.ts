// RespondToAuthChallenge: the client's answer to PASSWORD_VERIFIER or NEW_PASSWORD_REQUIRED.

import { any, CLIENT_ID, CLIENT_METADATA, str, stringMap, validate } from "../../../shared/validation.js";
import type { Action } from "../../context.js";
import { CHALLENGE_NAMES, respondToAuthChallenge as run } from "../../domain/auth-respond.js";

interface Input {
  ClientId: string;
  ChallengeName: string;
  Session?: string;
  ChallengeResponses?: Record<string, string>;
  ClientMetadata?: Record<string, string>;
}

export const respondToAuthChallenge: Action = async (raw, ctx) => {
  const input = validate<Input>(raw, {
    ClientId: CLIENT_ID,
    ChallengeName: str({ required: true, enum: CHALLENGE_NAMES }),
    Session: str({ min: 20, max: 2048 }),
    ChallengeResponses: stringMap(),
    AnalyticsMetadata: any,
    UserContextData: any,
    ClientMetadata: CLIENT_METADATA,
  });
  return run(ctx, {
    api: "public",
    clientId: input.ClientId,
    challengeName: input.ChallengeName,
    session: input.Session,
    responses: input.ChallengeResponses ?? {},
    clientMetadata: input.ClientMetadata,
  });
};
