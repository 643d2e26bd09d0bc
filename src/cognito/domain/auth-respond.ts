// RespondToAuthChallenge and AdminRespondToAuthChallenge: PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED and CUSTOM_CHALLENGE.

import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { ActionContext } from "../context.js";
import { invalidParameter, MESSAGES, notAuthorized } from "../errors.js";
import {
  type AuthApi,
  afterPassword,
  loadClientAndPoolFor,
  missingRequiredAttributes,
  passwordAttempt,
  requireParameter,
  unknownUser,
} from "./auth-flow.js";
import { takeSession } from "./auth-session.js";
import { openSecretBlock, SECRET_BLOCK_TTL_MS, sealingKey, timestampParses } from "./auth-srp.js";
import { checkSecretHash } from "./clients.js";
import { answerCustomChallenge, answerCustomPasswordVerifier, isCustomAuthVerifier } from "./custom-auth.js";
import { requirePasswordPolicy } from "./passwords.js";
import { poolShortName } from "./pools.js";
import { VERIFIED_FLAGS } from "./schema.js";
import { completeSignIn } from "./sign-in.js";
import { newPasswordRecordParts, verifyClaim } from "./srp.js";
import { parseSrpTimestamp } from "./timestamp.js";
import { checkAttributes, findUser, normalise, schemaOf, updateUser } from "./users.js";

/** ChallengeNameType in the service model's order (the order AWS lists it in validation messages). */
export const CHALLENGE_NAMES = [
  "SMS_MFA",
  "EMAIL_OTP",
  "SOFTWARE_TOKEN_MFA",
  "SELECT_MFA_TYPE",
  "MFA_SETUP",
  "PASSWORD_VERIFIER",
  "CUSTOM_CHALLENGE",
  "SELECT_CHALLENGE",
  "DEVICE_SRP_AUTH",
  "DEVICE_PASSWORD_VERIFIER",
  "ADMIN_NO_SRP_AUTH",
  "NEW_PASSWORD_REQUIRED",
  "SMS_OTP",
  "PASSWORD",
  "WEB_AUTHN",
  "PASSWORD_SRP",
] as const;

export interface RespondInput {
  api: AuthApi;
  poolId?: string | undefined;
  clientId: string;
  challengeName: string;
  session: string | undefined;
  responses: Record<string, string>;
  clientMetadata: Record<string, string> | undefined;
}

interface Answer {
  ctx: ActionContext;
  pool: PoolRecord;
  client: ClientRecord;
  input: RespondInput;
}

export async function respondToAuthChallenge(
  ctx: ActionContext,
  input: RespondInput,
): Promise<Record<string, unknown>> {
  const { pool, client } = await ctx.store.transaction((tx) =>
    loadClientAndPoolFor(tx, input.clientId, input.poolId),
  );
  const answer: Answer = { ctx, pool, client, input };
  const custom = { ctx, pool, client, ...input };
  switch (input.challengeName) {
    case "PASSWORD_VERIFIER":
      if (await isCustomAuthVerifier(ctx, input.responses)) return answerCustomPasswordVerifier(custom);
      return passwordVerifier(answer);
    case "CUSTOM_CHALLENGE":
      return answerCustomChallenge(custom);
    case "NEW_PASSWORD_REQUIRED":
      return newPasswordRequired(answer);
    default:
      // No other challenge is ever issued here, so no session can be answering one.
      throw notAuthorized(MESSAGES.invalidSession);
  }
}

const incorrect = () => notAuthorized(MESSAGES.incorrectCredentials);

/** The second leg of USER_SRP_AUTH: the sealed SECRET_BLOCK, then the password claim. */
async function passwordVerifier({ ctx, pool, client, input }: Answer): Promise<Record<string, unknown>> {
  const r = input.responses;
  const username = requireParameter(r, "USERNAME");
  const blockText = requireParameter(r, "PASSWORD_CLAIM_SECRET_BLOCK");
  const signature = requireParameter(r, "PASSWORD_CLAIM_SIGNATURE");
  const timestamp = requireParameter(r, "TIMESTAMP");
  checkSecretHash(client, username, r.SECRET_HASH);
  if (!timestampParses(timestamp))
    throw invalidParameter("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
  const now = ctx.clock.now();
  const attempt = await ctx.store.transaction(async (tx) => {
    const state = openSecretBlock(await sealingKey(tx, ctx.random), blockText);
    if (!state || state.poolId !== pool.id || state.clientId !== client.clientId) throw incorrect();
    if (state.fake) throw incorrect();
    const found = await findUser(tx, pool, username);
    // The block was issued to one user; USERNAME must name that user.
    if (!found || found.user.username !== state.username) {
      if (!(await tx.getUserByKey(pool.id, normalise(pool, "username", state.username))))
        throw unknownUser(client);
      throw incorrect();
    }
    const user = found.user;
    if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
    const record = user.password;
    const fresh = now - state.issuedAt <= SECRET_BLOCK_TTL_MS && state.issuedAt <= now;
    return passwordAttempt(tx, pool, user, now, () => {
      // Cognito signs over its own rendering of the instant: a padded day or wrong weekday cannot match.
      if (!fresh || !record || parseSrpTimestamp(timestamp) === undefined) return false;
      return verifyClaim({
        poolName: poolShortName(pool.id),
        userIdForSrp: user.username,
        verifierHex: record.verifier,
        AHex: state.A,
        bHex: state.b,
        BHex: state.B,
        secretBlockBytes: Buffer.from(blockText, "base64"),
        timestamp,
        signatureBase64: signature,
      });
    });
  });
  if (!attempt.ok) throw attempt.error;
  return afterPassword(ctx, { pool, client, user: attempt.user, clientMetadata: input.clientMetadata });
}

/** `Invalid attributes given, name is missing` / `..., name and address is missing`. */
function missingMessage(names: string[]): string {
  const list = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `Invalid attributes given, ${list} is missing`;
}

/** NEW_PASSWORD_REQUIRED: a permanent password (and any missing required attributes) for a FORCE_CHANGE_PASSWORD user. */
async function newPasswordRequired({ ctx, pool, client, input }: Answer): Promise<Record<string, unknown>> {
  const r = input.responses;
  const username = requireParameter(r, "USERNAME");
  checkSecretHash(client, username, r.SECRET_HASH);
  const now = ctx.clock.now();
  const user = await ctx.store.transaction(async (tx) => {
    const session = await takeSession(tx, input.session, { client, challenge: "NEW_PASSWORD_REQUIRED", now });
    const found = await findUser(tx, pool, username);
    if (!found || found.user.username !== session.username) throw notAuthorized(MESSAGES.invalidSession);
    const current = found.user;
    if (!current.enabled) throw notAuthorized(MESSAGES.userDisabled);
    const password = requireParameter(r, "NEW_PASSWORD");
    const action = input.api === "admin" ? "AdminRespondToAuthChallenge" : "RespondToAuthChallenge";
    requirePasswordPolicy(pool, password, action);
    const given = Object.entries(r)
      .filter(([name]) => name.startsWith("userAttributes."))
      .map(([name, Value]) => ({ Name: name.slice("userAttributes.".length), Value }));
    const changes = checkAttributes(pool, given, { admin: false, creating: false });
    const attributes = applyAttributeChanges(pool, current, changes);
    const missing = missingRequiredAttributes(pool, { ...current, attributes });
    if (missing.length > 0) throw invalidParameter(missingMessage(missing));
    const updated: UserRecord = {
      ...current,
      attributes,
      status: "CONFIRMED",
      password: {
        ...newPasswordRecordParts(ctx.random, poolShortName(pool.id), current.username, password),
        temporary: false,
        setAt: now,
      },
      lastModifiedAt: now,
    };
    await updateUser(tx, pool, updated);
    return updated;
  });
  // Completing the challenge confirms the user but is not a confirmation: PostConfirmation never runs.
  return completeSignIn(ctx, {
    pool,
    client,
    user,
    source: "TokenGeneration_NewPasswordChallenge",
    clientMetadata: input.clientMetadata,
  });
}

/**
 * The attributes after the challenge's `userAttributes.*`. A required attribute that already has a value
 * cannot be changed here; a changed email or phone number is no longer verified.
 */
function applyAttributeChanges(
  pool: PoolRecord,
  user: UserRecord,
  changes: Record<string, string | undefined>,
): Record<string, string> {
  const schema = schemaOf(pool);
  const attributes = { ...user.attributes };
  for (const [name, value] of Object.entries(changes)) {
    const before = attributes[name];
    if (schema.get(name)?.Required && before && value !== before)
      throw invalidParameter(`Cannot modify an already provided ${name}`);
    if (value === undefined || value === "") delete attributes[name];
    else attributes[name] = value;
    const flag = VERIFIED_FLAGS[name];
    if (flag && value !== before) attributes[flag] = "false";
  }
  return attributes;
}
