// Finishing a successful authentication: groups → PreTokenGeneration → PostAuthentication → tokens.

import type { ClientRecord, PoolRecord, RefreshTokenRecord, UserRecord } from "../../store/model.js";
import type { StoreTx } from "../../store/port.js";
import type { ActionContext } from "../context.js";
import {
  ADMIN_SCOPE,
  accessTokenClaims,
  type IssueTokensInput,
  idTokenClaims,
  issueRefreshToken,
  signClaims,
  type TokenGroup,
} from "../tokens/issue.js";
import {
  applyOverrides,
  overridesFrom,
  preTokenDefaultResponse,
  preTokenRequest,
  preTokenVersion,
  type TokenSource,
} from "./auth-pretoken.js";
import { tokenValidity } from "./clients.js";
import { type PoolKeys, poolKeys } from "./keys.js";
import { issuerOf } from "./pools.js";
import { runTrigger } from "./triggers.js";
import { triggerAttributes } from "./users.js";

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: "Bearer";
  RefreshToken?: string;
  IdToken: string;
}

/** Every group of the user (the store pages them). */
export async function allGroupsOf(tx: StoreTx, poolId: string, username: string): Promise<TokenGroup[]> {
  const groups: TokenGroup[] = [];
  let after: string | undefined;
  do {
    const page = await tx.listGroupsForUser(poolId, username, 60, after);
    for (const g of page.items) groups.push({ name: g.name, roleArn: g.roleArn, precedence: g.precedence });
    after = page.next;
  } while (after);
  return groups;
}

const readAttributesOf = (client: ClientRecord): string[] | undefined => {
  const read = client.settings.ReadAttributes;
  return Array.isArray(read) && read.length > 0
    ? read.filter((a): a is string => typeof a === "string")
    : undefined;
};

interface Minting {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  groups: TokenGroup[];
  source: TokenSource;
  clientMetadata: Record<string, string> | undefined;
  authTimeSeconds: number;
  originJti: string;
  keys: PoolKeys;
}

/** Runs PreTokenGeneration and signs the ID and access tokens with its overrides applied. */
async function mintTokens(
  ctx: ActionContext,
  m: Minting,
): Promise<{ idToken: string; accessToken: string; expiresIn: number }> {
  const version = preTokenVersion(m.pool);
  const response = await runTrigger(ctx, m.pool, {
    trigger: "PreTokenGeneration",
    triggerSource: m.source,
    userName: m.user.username,
    clientId: m.client.clientId,
    version,
    request: preTokenRequest({
      version,
      userAttributes: triggerAttributes(m.user),
      groups: m.groups,
      clientMetadata: m.clientMetadata,
      scopes: [ADMIN_SCOPE],
    }),
    response: preTokenDefaultResponse(version),
  });
  const { keys } = m;
  const validity = tokenValidity(m.client);
  const input: IssueTokensInput = {
    pool: { id: m.pool.id, issuer: issuerOf(ctx.config, m.pool.id) },
    client: { id: m.client.clientId, accessValiditySeconds: validity.access, idValiditySeconds: validity.id },
    user: { username: m.user.username, sub: m.user.sub, attributes: m.user.attributes },
    groups: m.groups,
    authTime: m.authTimeSeconds,
    originJti: m.originJti,
    // One authentication event: both tokens carry the same event_id.
    eventId: ctx.random.uuid(),
    now: ctx.clock.now(),
    keys: { id: keys.id, access: keys.access },
    readAttributes: readAttributesOf(m.client),
    random: ctx.random,
  };
  const claims = applyOverrides(
    idTokenClaims(input, ctx.random.uuid()),
    accessTokenClaims(input, ctx.random.uuid()),
    overridesFrom(version, response),
  );
  const [idToken, accessToken] = await Promise.all([
    signClaims(claims.id, keys.id),
    signClaims(claims.access, keys.access),
  ]);
  return { idToken, accessToken, expiresIn: validity.access };
}

/**
 * Tokens for a user who just proved who they are: PreTokenGeneration, then PostAuthentication (tokens are
 * returned only when both succeed), then a new refresh token family. Call outside any transaction.
 * `clientMetadata` is RespondToAuthChallenge's: InitiateAuth's never reaches these triggers.
 */
export async function completeSignIn(
  ctx: ActionContext,
  input: {
    pool: PoolRecord;
    client: ClientRecord;
    user: UserRecord;
    source: Exclude<TokenSource, "TokenGeneration_RefreshTokens">;
    clientMetadata: Record<string, string> | undefined;
  },
): Promise<{ ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult }> {
  const { pool, client, user } = input;
  const groups = await ctx.store.transaction((tx) => allGroupsOf(tx, pool.id, user.username));
  const now = ctx.clock.now();
  const originJti = ctx.random.uuid();
  const keys = await poolKeys(ctx, pool.id);
  const tokens = await mintTokens(ctx, {
    pool,
    client,
    user,
    groups,
    source: input.source,
    clientMetadata: input.clientMetadata,
    authTimeSeconds: Math.floor(now / 1000),
    originJti,
    keys,
  });
  await runTrigger(ctx, pool, {
    trigger: "PostAuthentication",
    triggerSource: "PostAuthentication_Authentication",
    userName: user.username,
    clientId: client.clientId,
    request: {
      userAttributes: triggerAttributes(user),
      newDeviceUsed: false,
      clientMetadata: input.clientMetadata ?? null,
    },
    response: {},
  });
  const record: RefreshTokenRecord = {
    originJti,
    poolId: pool.id,
    clientId: client.clientId,
    username: user.username,
    // Epoch ms like every other record time; tokens carry it in seconds as auth_time.
    authTime: now,
    createdAt: now,
    expiresAt: now + tokenValidity(client).refresh * 1000,
    revoked: false,
  };
  await ctx.store.transaction((tx) => tx.putRefreshToken(record));
  const refreshToken = await issueRefreshToken({
    originJti,
    poolId: pool.id,
    clientId: client.clientId,
    username: user.username,
    key: keys.refresh,
  });
  return {
    ChallengeParameters: {},
    AuthenticationResult: {
      AccessToken: tokens.accessToken,
      ExpiresIn: tokens.expiresIn,
      TokenType: "Bearer",
      RefreshToken: refreshToken,
      IdToken: tokens.idToken,
    },
  };
}

/** REFRESH_TOKEN_AUTH: new ID and access tokens of the same family (origin_jti, auth_time); no new refresh token. */
export async function refreshSignIn(
  ctx: ActionContext,
  input: { pool: PoolRecord; client: ClientRecord; user: UserRecord; record: RefreshTokenRecord },
): Promise<{ ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult }> {
  const { pool, client, user, record } = input;
  const groups = await ctx.store.transaction((tx) => allGroupsOf(tx, pool.id, user.username));
  const tokens = await mintTokens(ctx, {
    pool,
    client,
    user,
    groups,
    source: "TokenGeneration_RefreshTokens",
    clientMetadata: undefined,
    authTimeSeconds: Math.floor(record.authTime / 1000),
    originJti: record.originJti,
    keys: await poolKeys(ctx, pool.id),
  });
  return {
    ChallengeParameters: {},
    AuthenticationResult: {
      AccessToken: tokens.accessToken,
      ExpiresIn: tokens.expiresIn,
      TokenType: "Bearer",
      IdToken: tokens.idToken,
    },
  };
}
