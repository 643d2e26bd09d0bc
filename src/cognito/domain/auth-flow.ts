// The steps every sign-in flow shares: client and pool, SECRET_HASH, user states, the password attempt, and what follows it.

import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import type { ActionContext } from "../context.js";
import {
  clientNotFound,
  invalidParameter,
  MESSAGES,
  notAuthorized,
  passwordResetRequired,
  userNotConfirmed,
  userNotFound,
} from "../errors.js";
import {
  afterFailure,
  afterLockedAttempt,
  FRESH,
  isLocked,
  loadLockout,
  saveLockout,
} from "./auth-lockout.js";
import { openSession } from "./auth-session.js";
import { loadClient, preventsUserExistenceErrors } from "./clients.js";
import { temporaryPasswordExpired } from "./passwords.js";
import { loadPool } from "./pools.js";
import { completeSignIn } from "./sign-in.js";
import { runTrigger } from "./triggers.js";
import { schemaOf, triggerAttributes } from "./users.js";

export type AuthApi = "public" | "admin";

/**
 * The client of the call and its pool. Admin calls name the pool too: it must exist, and a client of
 * another pool is as unknown as a missing one.
 */
export async function loadClientAndPoolFor(
  tx: StoreTx,
  clientId: string,
  poolId: string | undefined,
): Promise<{ pool: PoolRecord; client: ClientRecord }> {
  if (poolId !== undefined) {
    const pool = await loadPool(tx, poolId);
    const client = await loadClient(tx, clientId);
    if (client.poolId !== pool.id) throw clientNotFound(clientId);
    return { pool, client };
  }
  const client = await loadClient(tx, clientId);
  return { pool: await loadPool(tx, client.poolId), client };
}

/** AuthParameters / ChallengeResponses a flow cannot do without. */
export function requireParameter(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === "") throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

/** What an unknown user gets: UserNotFoundException, or under PreventUserExistenceErrors the generic answer. */
export function unknownUser(client: ClientRecord): Error {
  return preventsUserExistenceErrors(client)
    ? notAuthorized(MESSAGES.incorrectCredentials)
    : userNotFound(MESSAGES.userNotFound);
}

/**
 * PreAuthentication_Authentication. InitiateAuth's ClientMetadata arrives as `validationData`;
 * `userNotFound` is sent only to clients with PreventUserExistenceErrors=ENABLED.
 */
export async function preAuthentication(
  ctx: ActionContext,
  input: {
    pool: PoolRecord;
    client: ClientRecord;
    userName: string;
    user: UserRecord | undefined;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<void> {
  const enabled = preventsUserExistenceErrors(input.client);
  await runTrigger(ctx, input.pool, {
    trigger: "PreAuthentication",
    triggerSource: "PreAuthentication_Authentication",
    userName: input.user?.username ?? input.userName,
    clientId: input.client.clientId,
    request: {
      userAttributes: input.user ? triggerAttributes(input.user) : {},
      validationData: input.clientMetadata ?? null,
      ...(enabled ? { userNotFound: input.user === undefined } : {}),
    },
    response: {},
  });
}

/** After PreAuthentication, before the password: disabled, then UNCONFIRMED (even with a wrong password), then RESET_REQUIRED. */
export function checkSignInState(user: UserRecord, client: ClientRecord): void {
  if (!user.enabled) throw notAuthorized(MESSAGES.userDisabled);
  if (user.status === "UNCONFIRMED") throw userNotConfirmed(MESSAGES.userNotConfirmed);
  if (user.status === "RESET_REQUIRED") {
    if (preventsUserExistenceErrors(client)) throw notAuthorized(MESSAGES.incorrectCredentials);
    throw passwordResetRequired(MESSAGES.passwordResetRequired);
  }
  if (!user.password) throw notAuthorized(MESSAGES.incorrectCredentials);
}

export type Attempt = { ok: true; user: UserRecord } | { ok: false; error: Error };

/**
 * One password attempt under Cognito's lockout. A wrong password is counted, so the caller must let its
 * transaction commit and throw `error` afterwards.
 */
export async function passwordAttempt(
  tx: StoreTx,
  pool: PoolRecord,
  user: UserRecord,
  now: number,
  proves: () => boolean,
): Promise<Attempt> {
  const state = await loadLockout(tx, pool.id, user.username, now);
  if (isLocked(state, now)) {
    await saveLockout(tx, pool.id, user.username, afterLockedAttempt(state, now));
    return { ok: false, error: notAuthorized(MESSAGES.passwordAttemptsExceeded) };
  }
  if (!proves()) {
    await saveLockout(tx, pool.id, user.username, afterFailure(state, now));
    return { ok: false, error: notAuthorized(MESSAGES.incorrectCredentials) };
  }
  await saveLockout(tx, pool.id, user.username, FRESH);
  return { ok: true, user };
}

/** The attributes NEW_PASSWORD_REQUIRED lists as required: required in the schema and still empty. */
export function missingRequiredAttributes(pool: PoolRecord, user: UserRecord): string[] {
  const missing: string[] = [];
  for (const [name, entry] of schemaOf(pool)) {
    if (entry.Required && name !== "sub" && !user.attributes[name]) missing.push(name);
  }
  return missing;
}

/** NEW_PASSWORD_REQUIRED's `userAttributes`: what the user may write back (never `*_verified`, never dev-only). */
export function challengeUserAttributes(user: UserRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === "email_verified" || name === "phone_number_verified" || name.startsWith("dev:")) continue;
    out[name] = value;
  }
  return out;
}

/**
 * What follows a proven password: a temporary password must be replaced (NEW_PASSWORD_REQUIRED, unless it
 * expired), otherwise the user is signed in.
 */
export async function afterPassword(
  ctx: ActionContext,
  input: {
    pool: PoolRecord;
    client: ClientRecord;
    user: UserRecord;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<Record<string, unknown>> {
  const { pool, client, user } = input;
  const now = ctx.clock.now();
  if (user.status === "FORCE_CHANGE_PASSWORD") {
    if (temporaryPasswordExpired(pool, user, now))
      throw notAuthorized("Temporary password has expired and must be reset by an administrator.");
    const session = await ctx.store.transaction((tx) =>
      openSession(tx, ctx.random, {
        client,
        username: user.username,
        challenge: "NEW_PASSWORD_REQUIRED",
        data: {},
        now,
      }),
    );
    return {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: session,
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: JSON.stringify(
          missingRequiredAttributes(pool, user).map((name) => `userAttributes.${name}`),
        ),
        userAttributes: JSON.stringify(challengeUserAttributes(user)),
      },
    };
  }
  return completeSignIn(ctx, {
    pool,
    client,
    user,
    source: "TokenGeneration_Authentication",
    clientMetadata: input.clientMetadata,
  });
}
