// InitiateAuth and AdminInitiateAuth: the flows, each in Cognito's check order.

import type { ClientRecord, PoolRecord, UserRecord } from "../../store/model.js";
import type { ActionContext } from "../context.js";
import { invalidParameter, MESSAGES, notAuthorized, unsupportedOperation, userNotFound } from "../errors.js";
import { readRefreshToken } from "../tokens/issue.js";
import {
  type AuthApi,
  afterPassword,
  checkSignInState,
  loadClientAndPoolFor,
  passwordAttempt,
  preAuthentication,
  requireParameter,
  unknownUser,
} from "./auth-flow.js";
import { migrateOnSignIn } from "./auth-migration.js";
import { fakeChallengeSecret, sealingKey, sealSecretBlock } from "./auth-srp.js";
import { checkSecretHash, preventsUserExistenceErrors, requireFlow } from "./clients.js";
import { startCustomAuth } from "./custom-auth.js";
import { poolKeys } from "./keys.js";
import { poolShortName, usernameAttributes } from "./pools.js";
import { refreshSignIn } from "./sign-in.js";
import { checkPassword, fakeSrpChallenge, isValidA, startServerSession } from "./srp.js";
import { findUser, normalise } from "./users.js";

/** AuthFlowType in the service model's order (the order AWS lists it in validation messages). */
export const AUTH_FLOWS = [
  "USER_SRP_AUTH",
  "REFRESH_TOKEN_AUTH",
  "REFRESH_TOKEN",
  "CUSTOM_AUTH",
  "ADMIN_NO_SRP_AUTH",
  "USER_PASSWORD_AUTH",
  "ADMIN_USER_PASSWORD_AUTH",
  "USER_AUTH",
] as const;

const API_FLOWS: Record<AuthApi, ReadonlySet<string>> = {
  public: new Set([
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "USER_PASSWORD_AUTH",
    "USER_AUTH",
  ]),
  admin: new Set([
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
  ]),
};

export interface InitiateInput {
  api: AuthApi;
  /** AdminInitiateAuth's UserPoolId. */
  poolId?: string | undefined;
  clientId: string;
  flow: string;
  params: Record<string, string>;
  clientMetadata: Record<string, string> | undefined;
}

interface Flow {
  ctx: ActionContext;
  pool: PoolRecord;
  client: ClientRecord;
  params: Record<string, string>;
  clientMetadata: Record<string, string> | undefined;
}

export async function initiateAuth(
  ctx: ActionContext,
  input: InitiateInput,
): Promise<Record<string, unknown>> {
  const { pool, client } = await ctx.store.transaction((tx) =>
    loadClientAndPoolFor(tx, input.clientId, input.poolId),
  );
  if (!API_FLOWS[input.api].has(input.flow)) throw invalidParameter("Initiate Auth method not supported");
  requireFlow(client, input.flow);
  const flow: Flow = { ctx, pool, client, params: input.params, clientMetadata: input.clientMetadata };
  switch (input.flow) {
    case "USER_PASSWORD_AUTH":
    case "ADMIN_USER_PASSWORD_AUTH":
    case "ADMIN_NO_SRP_AUTH":
      return passwordFlow(flow);
    case "USER_SRP_AUTH":
      return srpFlow(flow);
    case "REFRESH_TOKEN_AUTH":
    case "REFRESH_TOKEN":
      return refreshFlow(flow);
    case "CUSTOM_AUTH":
      return startCustomAuth(flow);
    default:
      throw unsupportedOperation(
        `${input.flow} is not supported by cognito-triggers yet (see docs/parity.md for what is).`,
      );
  }
}

/** The user a typed name finds, after UserMigration when none does (password flows only). */
async function resolveUser(
  f: Flow,
  typed: string,
  password: string | undefined,
): Promise<UserRecord | undefined> {
  const found = await f.ctx.store.transaction((tx) => findUser(tx, f.pool, typed));
  if (found) return found.user;
  if (password === undefined) return undefined;
  return migrateOnSignIn(f.ctx, {
    pool: f.pool,
    client: f.client,
    typed,
    password,
    clientMetadata: f.clientMetadata,
  });
}

/** Under PreventUserExistenceErrors an unknown name still passes PreAuthentication (userNotFound: true). */
async function rejectUnknown(f: Flow, typed: string): Promise<never> {
  if (preventsUserExistenceErrors(f.client))
    await preAuthentication(f.ctx, {
      pool: f.pool,
      client: f.client,
      userName: typed,
      user: undefined,
      clientMetadata: f.clientMetadata,
    });
  throw unknownUser(f.client);
}

async function passwordFlow(f: Flow): Promise<Record<string, unknown>> {
  const typed = requireParameter(f.params, "USERNAME");
  const password = requireParameter(f.params, "PASSWORD");
  checkSecretHash(f.client, typed, f.params.SECRET_HASH);
  const user = await resolveUser(f, typed, password);
  if (!user) {
    // Under PreventUserExistenceErrors an unknown user must cost what a wrong password costs, or the
    // response time tells them apart: check the password against a decoy verifier as well.
    if (preventsUserExistenceErrors(f.client)) decoyPasswordCheck(f.pool.id, typed, password);
    return rejectUnknown(f, typed);
  }
  await preAuthentication(f.ctx, {
    pool: f.pool,
    client: f.client,
    userName: typed,
    user,
    clientMetadata: f.clientMetadata,
  });
  const now = f.ctx.clock.now();
  const attempt = await f.ctx.store.transaction(async (tx) => {
    // PreAuthentication may have taken a while: judge the user as they are now.
    const current = (await tx.getUserByKey(f.pool.id, normalise(f.pool, "username", user.username)))?.user;
    if (!current) throw unknownUser(f.client);
    checkSignInState(current, f.client);
    const record = current.password!;
    return passwordAttempt(tx, f.pool, current, now, () =>
      checkPassword({
        poolName: poolShortName(f.pool.id),
        username: current.username,
        password,
        salt: record.salt,
        verifier: record.verifier,
      }),
    );
  });
  if (!attempt.ok) throw attempt.error;
  // InitiateAuth's ClientMetadata reaches neither PreTokenGeneration nor PostAuthentication.
  return afterPassword(f.ctx, {
    pool: f.pool,
    client: f.client,
    user: attempt.user,
    clientMetadata: undefined,
  });
}

async function srpFlow(f: Flow): Promise<Record<string, unknown>> {
  const typed = requireParameter(f.params, "USERNAME");
  const A = requireParameter(f.params, "SRP_A");
  checkSecretHash(f.client, typed, f.params.SECRET_HASH);
  if (!isValidA(A)) throw invalidParameter("SRP_A is not valid.");
  // SRP never shows the server a password, so UserMigration cannot run here.
  const user = await resolveUser(f, typed, undefined);
  const { ctx, pool, client } = f;
  if (!user) {
    if (!preventsUserExistenceErrors(client)) throw userNotFound(MESSAGES.userNotFound);
    await preAuthentication(ctx, {
      pool,
      client,
      userName: typed,
      user: undefined,
      clientMetadata: f.clientMetadata,
    });
    return fakeChallenge(f, typed, A);
  }
  await preAuthentication(ctx, { pool, client, userName: typed, user, clientMetadata: f.clientMetadata });
  const { current, key } = await ctx.store.transaction(async (tx) => {
    const now = (await tx.getUserByKey(pool.id, normalise(pool, "username", user.username)))?.user;
    if (!now) throw unknownUser(client);
    checkSignInState(now, client);
    return { current: now, key: await sealingKey(tx, ctx.random) };
  });
  const record = current.password!;
  const { bHex, BHex } = startServerSession(ctx.random, { verifierHex: record.verifier });
  const block = sealSecretBlock(key, ctx.random, {
    poolId: pool.id,
    clientId: client.clientId,
    username: current.username,
    b: bHex,
    B: BHex,
    A,
    issuedAt: ctx.clock.now(),
  });
  // No Session: SECRET_BLOCK carries the state.
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeParameters: {
      SALT: record.salt,
      SECRET_BLOCK: block,
      SRP_B: BHex,
      USERNAME: current.username,
      USER_ID_FOR_SRP: current.username,
    },
  };
}

/**
 * A challenge for a name no user has, shaped like a real one and the same on every try. Where usernames
 * are what people type, USER_ID_FOR_SRP is the typed name as it would be for a real user; where they are
 * UUIDs (UsernameAttributes pools), a UUID derived from the name.
 */
async function fakeChallenge(f: Flow, typed: string, A: string): Promise<Record<string, unknown>> {
  const { ctx, pool, client } = f;
  const { secret, key } = await ctx.store.transaction(async (tx) => ({
    secret: await fakeChallengeSecret(tx, ctx.random),
    key: await sealingKey(tx, ctx.random),
  }));
  const fake = fakeSrpChallenge(secret, pool.id, normalise(pool, "username", typed));
  const userId = usernameAttributes(pool).length > 0 ? fake.userIdForSrp : typed;
  const { bHex, BHex } = startServerSession(ctx.random, { verifierHex: fake.verifier });
  const block = sealSecretBlock(key, ctx.random, {
    poolId: pool.id,
    clientId: client.clientId,
    username: userId,
    b: bHex,
    B: BHex,
    A,
    issuedAt: ctx.clock.now(),
    fake: true,
  });
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    ChallengeParameters: {
      SALT: fake.salt,
      SECRET_BLOCK: block,
      SRP_B: BHex,
      USERNAME: userId,
      USER_ID_FOR_SRP: userId,
    },
  };
}

async function refreshFlow(f: Flow): Promise<Record<string, unknown>> {
  const { ctx, pool, client } = f;
  const token = requireParameter(f.params, "REFRESH_TOKEN");
  const invalid = () => notAuthorized(MESSAGES.invalidRefreshToken);
  const keys = await poolKeys(ctx, pool.id);
  const content = await readRefreshToken(token, keys.refresh);
  if (!content || content.poolId !== pool.id || content.clientId !== client.clientId) throw invalid();
  // After sign-in the SECRET_HASH is over the internal username, which the token names.
  checkSecretHash(client, content.username, f.params.SECRET_HASH);
  const now = ctx.clock.now();
  const { user, record } = await ctx.store.transaction(async (tx) => {
    const family = await tx.getRefreshToken(content.originJti);
    if (!family || family.clientId !== client.clientId || family.poolId !== pool.id) throw invalid();
    const stored = (await tx.getUserByKey(pool.id, normalise(pool, "username", family.username)))?.user;
    if (!stored) throw userNotFound(MESSAGES.userNotFound);
    // AdminDisableUser also revokes the user's tokens; "disabled" is the more telling answer.
    if (!stored.enabled) throw notAuthorized(MESSAGES.userDisabled);
    if (family.revoked) throw notAuthorized(MESSAGES.refreshTokenRevoked);
    if (family.expiresAt <= now) throw notAuthorized(MESSAGES.refreshTokenExpired);
    return { user: stored, record: family };
  });
  return refreshSignIn(ctx, { pool, client, user, record });
}

/** The same SRP work as a real password check, against a fixed verifier no password matches. */
function decoyPasswordCheck(poolId: string, username: string, password: string): void {
  checkPassword({
    poolName: poolShortName(poolId),
    username,
    password,
    salt: DECOY_SALT,
    verifier: DECOY_VERIFIER,
  });
}

const DECOY_SALT = "00".repeat(16);
/** 2: no password maps to x = 1 in practice, and the value only has to be a valid residue. */
const DECOY_VERIFIER = "02";
