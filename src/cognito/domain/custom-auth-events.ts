// The three custom-auth triggers (Define, Create, Verify): the events Cognito sends and how it reads their responses.

import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { ActionContext } from "../context.js";
import { CognitoError } from "../errors.js";
import { preventsUserExistenceErrors } from "./clients.js";
import { runTrigger } from "./triggers.js";
import { triggerAttributes } from "./users.js";

/** One element of `request.session`, oldest first. */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata: string | null;
}

/** Who the flow is about: a user, or under PreventUserExistenceErrors a name no user has. */
export interface Actor {
  pool: PoolRecord;
  client: ClientRecord;
  /** The internal username, or the typed name when no user has it. */
  userName: string;
  user: UserRecord | undefined;
}

/** What DefineAuthChallenge decided. */
export type Decision = "tokens" | "fail" | "CUSTOM_CHALLENGE" | "PASSWORD_VERIFIER";

export interface CreatedChallenge {
  publicParameters: Record<string, string>;
  privateParameters: Record<string, string>;
  metadata: string | null;
}

export const unrecognizable = () =>
  new CognitoError("InvalidLambdaResponseException", "Unrecognizable lambda output");

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The request members every custom-auth trigger shares. `clientMetadata` is RespondToAuthChallenge's only
 * (InitiateAuth's goes to PreAuthentication) and absent when the caller sent none, as in real payloads;
 * `userNotFound` is sent only to clients with PreventUserExistenceErrors=ENABLED.
 */
function common(actor: Actor, clientMetadata: Record<string, string> | undefined): Record<string, unknown> {
  return {
    userAttributes: actor.user ? triggerAttributes(actor.user) : {},
    ...(clientMetadata ? { clientMetadata } : {}),
    ...(preventsUserExistenceErrors(actor.client) ? { userNotFound: actor.user === undefined } : {}),
  };
}

const point = (actor: Actor, trigger: string) => ({
  trigger,
  triggerSource: `${trigger}_Authentication`,
  userName: actor.userName,
  clientId: actor.client.clientId,
});

export async function defineAuthChallenge(
  ctx: ActionContext,
  actor: Actor,
  session: readonly ChallengeResult[],
  clientMetadata: Record<string, string> | undefined,
): Promise<Decision> {
  const response = await runTrigger(ctx, actor.pool, {
    ...point(actor, "DefineAuthChallenge"),
    request: { ...common(actor, clientMetadata), session: structuredClone(session) },
    response: { challengeName: null, issueTokens: false, failAuthentication: false },
  });
  return readDecision(response);
}

/**
 * Cognito's reading of DefineAuthChallenge's answer. A failure wins over tokens (the safe reading of a
 * contradictory answer); a challenge other than the two this server can pose, or none at all, is output
 * Cognito cannot interpret.
 */
export function readDecision(response: Record<string, unknown>): Decision {
  const { challengeName, issueTokens, failAuthentication } = response;
  const flag = (v: unknown) => v === undefined || v === null || typeof v === "boolean";
  if (!flag(issueTokens) || !flag(failAuthentication)) throw unrecognizable();
  if (challengeName !== undefined && challengeName !== null && typeof challengeName !== "string")
    throw unrecognizable();
  if (failAuthentication === true) return "fail";
  if (issueTokens === true) return "tokens";
  if (challengeName === "CUSTOM_CHALLENGE" || challengeName === "PASSWORD_VERIFIER") return challengeName;
  throw unrecognizable();
}

export async function createAuthChallenge(
  ctx: ActionContext,
  actor: Actor,
  session: readonly ChallengeResult[],
  clientMetadata: Record<string, string> | undefined,
): Promise<CreatedChallenge> {
  const response = await runTrigger(ctx, actor.pool, {
    ...point(actor, "CreateAuthChallenge"),
    request: {
      ...common(actor, clientMetadata),
      challengeName: "CUSTOM_CHALLENGE",
      session: structuredClone(session),
    },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  return {
    publicParameters: stringMap(response.publicChallengeParameters),
    privateParameters: stringMap(response.privateChallengeParameters),
    metadata: scalar(response.challengeMetadata) ?? null,
  };
}

/** Cognito reads the parameters as string maps: scalars become strings, nested values cannot be read. */
function stringMap(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw unrecognizable();
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value)) {
    const text = scalar(entry);
    if (text !== undefined) out[name] = text;
  }
  return out;
}

function scalar(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw unrecognizable();
}

export async function verifyAuthChallengeResponse(
  ctx: ActionContext,
  actor: Actor,
  privateParameters: Record<string, string>,
  answer: string,
  clientMetadata: Record<string, string> | undefined,
): Promise<boolean> {
  const response = await runTrigger(ctx, actor.pool, {
    ...point(actor, "VerifyAuthChallengeResponse"),
    request: {
      ...common(actor, clientMetadata),
      privateChallengeParameters: { ...privateParameters },
      challengeAnswer: answer,
    },
    response: { answerCorrect: false },
  });
  const correct = response.answerCorrect;
  if (correct !== undefined && correct !== null && typeof correct !== "boolean") throw unrecognizable();
  return correct === true;
}
